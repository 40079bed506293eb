using Ingrain.Agent.Tests.Hostile;
using Ingrain.TestSupport;
using Ingrain.TestSupport.Kernel;
using Xunit;

namespace Ingrain.Agent.Tests.Packaging;

/// <summary>
/// <c>make dist</c>'s single file runs where no .NET is installed: in a mount namespace where the SDK's directory is
/// an empty tmpfs and the environment is empty, it checks a config and runs the exec probe (its BPF object embedded).
/// <c>make install</c> lays out the service, and <c>systemd-analyze verify</c> accepts the unit without a warning.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class DistSpec(DistFixture dist) : IClassFixture<DistFixture>, IDisposable
{
    private readonly HostileDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [KernelFact]
    public void The_single_file_runs_the_exec_probe_with_no_dotnet_on_the_machine()
    {
        KernelRequirements.Require();
        Assert.Matches(@"dist: .*/ingrain \(linux-x64, \d+ MiB, \d+ bytes\)", dist.Output);
        Assert.Equal([dist.Binary], Directory.GetFiles(dist.Directory)); // one file, nothing beside it
        var config = _dir.Write("pipeline.hocon", "ingrain { probes.exec { type = exec, pipelines = [c] }, pipelines.c.backend.type = console }");
        var dotnetRoot = Path.GetDirectoryName(Path.GetFullPath(ResolveLink("/usr/bin/dotnet")))!;

        // Hide the .NET install, empty the environment, run for 8 s (timeout sends SIGTERM) while something execs
        // a marker every half second, then report.
        var script = $"mount -t tmpfs none '{dotnetRoot}' && test ! -e '{dotnetRoot}/dotnet' && echo hidden && " +
                     $"'{dist.Binary}' check-config '{config}' && " +
                     "(for i in $(seq 1 14); do sleep 0.5; /bin/true dist-marker $i; done) & " +
                     $"timeout --preserve-status -s TERM 8 '{dist.Binary}' run --config '{config}'; echo exit=$?";
        var (code, output) = DistFixture.Run("unshare", ["--mount", "--fork", "/bin/sh", "-c", script], TimeSpan.FromMinutes(1),
            new Dictionary<string, string?> { ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" });

        Assert.True(code == 0, output);
        Assert.Contains("hidden", output);
        Assert.Contains("OK (1 probe(s), 1 pipeline(s))", output);
        Assert.Contains("exec probe attached", output);
        Assert.Contains("\"args_str\":\"/bin/true dist-marker ", output);
        Assert.Contains("exit=0", output);
    }

    [KernelFact]
    public void Make_install_lays_out_a_service_that_systemd_analyze_verifies()
    {
        KernelRequirements.Require();
        var root = Path.Combine(_dir.Path, "root");
        var (code, output) = DistFixture.Run("make", ["-s", "install", $"DESTDIR={root}", $"BINARY={dist.Binary}"], TimeSpan.FromMinutes(2));
        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(root, "usr/bin/ingrain")));
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(Path.Combine(root, "etc/ingrain/pipeline.hocon")));
        var unit = File.ReadAllText(Path.Combine(root, "lib/systemd/system/ingrain.service"));
        foreach (var line in new[] { "Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "NoNewPrivileges=yes", "ProtectSystem=strict",
                     "ProtectHome=yes", "StateDirectory=ingrain", "CapabilityBoundingSet=CAP_BPF CAP_PERFMON CAP_DAC_READ_SEARCH" })
            Assert.Contains(line, unit);

        // systemd-analyze checks the executables exist: point the unit at the laid-out tree, keep everything else.
        var verified = Path.Combine(_dir.Path, "ingrain.service");
        File.WriteAllText(verified, unit.Replace("/usr/bin/ingrain", Path.Combine(root, "usr/bin/ingrain"))
            .Replace("/etc/ingrain", Path.Combine(root, "etc/ingrain")).Replace("file:/usr/share", $"file:{root}/usr/share"));
        var (verify, said) = DistFixture.Run("systemd-analyze", ["verify", verified], TimeSpan.FromMinutes(1));
        Assert.True(verify == 0 && said.Trim().Length == 0, $"systemd-analyze verify ({verify}):\n{said}");
    }

    private static string ResolveLink(string path) => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
}

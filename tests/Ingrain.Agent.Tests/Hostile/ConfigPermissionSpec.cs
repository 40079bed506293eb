using System.Diagnostics;
using Ingrain.TestSupport.Kernel;
using Ingrain.Topology.Security;
using Xunit;

namespace Ingrain.Agent.Tests.Hostile;

/// <summary>
/// Issue 10 item 1: as root, a configuration another local user can change gave that user root command execution
/// (an exec step added to a mode-0666 pipeline.hocon ran half a second later). Start, check-config and reload now
/// refuse it, naming the file and the reason.
/// </summary>
public sealed class ConfigPermissionSpec : IDisposable
{
    private const string Valid = "ingrain { probes.s { type = synthetic, pipelines = [p] }, pipelines.p.backend.type = console }";
    private const UnixFileMode WorldWritable = (UnixFileMode)0b110_110_110;
    private readonly HostileDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [RootFact]
    public async Task Start_refuses_a_world_writable_config_as_root()
    {
        RootFactAttribute.Require();
        var path = _dir.Write("pipeline.hocon", Valid, WorldWritable);
        using var agent = AgentProcess.Start("run", "--config", path);
        Assert.Equal(2, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"refused {path}: the configuration file is writable by group and others (mode 0666)", agent.Stderr);
        Assert.DoesNotContain("running", agent.Stderr);
    }

    [RootFact]
    public async Task Check_config_refuses_a_group_writable_include_and_names_it()
    {
        RootFactAttribute.Require();
        var included = _dir.Write("probes.conf", "ingrain.probes.s { type = synthetic, pipelines = [p] }", (UnixFileMode)0b110_110_100);
        var path = _dir.Write("pipeline.hocon", "include \"probes.conf\"\ningrain.pipelines.p.backend.type = console");
        using var agent = AgentProcess.Start("check-config", path);
        Assert.Equal(2, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"{path}:1:1: (file): could not read included {included}: refused {included}: the configuration file is writable by its group (mode 0664)", agent.Stderr);
    }

    [RootFact]
    public async Task A_writable_directory_above_the_config_is_refused()
    {
        RootFactAttribute.Require();
        var path = _dir.Write("etc/pipeline.hocon", Valid);
        var etc = Path.GetDirectoryName(path)!;
        File.SetUnixFileMode(etc, (UnixFileMode)0b111_111_111);
        using var agent = AgentProcess.Start("check-config", path);
        Assert.Equal(2, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"refused {path}: {etc} is writable by group and others (mode 0777), so another user could replace {path}", agent.Stderr);
    }

    [RootFact]
    public async Task A_config_owned_by_another_user_is_refused()
    {
        RootFactAttribute.Require();
        var path = _dir.Write("pipeline.hocon", Valid);
        HostileDirectory.Run("chown", "nobody", path);
        using var agent = AgentProcess.Start("check-config", path);
        Assert.Equal(2, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("the configuration file is owned by user 65534 (nobody), not by root or the agent's user", agent.Stderr);
    }

    [RootFact]
    public async Task A_safe_config_under_sticky_tmp_is_accepted()
    {
        RootFactAttribute.Require();
        var path = _dir.Write("pipeline.hocon", Valid); // /tmp is 1777, our directory is root's own 0700
        using var agent = AgentProcess.Start("check-config", path);
        Assert.Equal(0, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
    }

    [RootFact]
    public async Task A_reload_into_a_world_writable_config_is_rejected_and_the_exec_step_never_runs()
    {
        RootFactAttribute.Require();
        var marker = Path.Combine(_dir.Path, "pwned");
        var config = """
            ingrain {
              agent { watch-config = on, watch-debounce = 100ms, shutdown-timeout = 10s }
              probes.synth { type = synthetic, name = kept, rate = 100, batch-size = 5, pipelines = [console] }
              pipelines.console { steps = [], backend.type = console }
            }
            """;
        var path = _dir.Write("pipeline.hocon", config);
        using var agent = AgentProcess.Start("run", "--config", path);
        await agent.WaitForAsync(() => agent.Stdout, "\"kept\"", TimeSpan.FromSeconds(30));

        // What the local user did: the file became world-writable and gained an exec step.
        File.SetUnixFileMode(path, WorldWritable);
        File.WriteAllText(path, config.Replace("steps = []", $"steps = [ {{ type = exec, command = [\"/usr/bin/touch\", \"{marker}\"] }} ]"));
        await agent.WaitForAsync(() => agent.Stderr, "reload rejected", TimeSpan.FromSeconds(30));
        Assert.Contains($"refused {path}: the configuration file is writable by group and others (mode 0666)", agent.Stderr);
        await Task.Delay(1000); // the step, had it been applied, would have run for the synthetic measurements by now

        agent.Signal("TERM");
        Assert.Equal(0, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.False(File.Exists(marker), "the exec step of the refused configuration ran");
    }

    [RootFact]
    public async Task With_only_a_capability_the_agent_is_privileged_and_refuses_too()
    {
        RootFactAttribute.Require();
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0b111_101_101); // nobody must reach the file
        var path = _dir.Write("pipeline.hocon", Valid, WorldWritable);
        var (withCapability, stderr) = await AsNobody(path, "--inh-caps=+net_bind_service", "--ambient-caps=+net_bind_service");
        Assert.Equal(2, withCapability);
        Assert.Contains($"refused {path}", stderr);
        var (without, _) = await AsNobody(path);
        Assert.Equal(0, without); // unprivileged: it can do nothing nobody could not do already
    }

    [RootFact]
    public async Task An_unreadable_file_is_reported_with_the_users_file_not_0_0()
    {
        RootFactAttribute.Require();
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0b111_101_101);
        var path = _dir.Write("pipeline.hocon", Valid, (UnixFileMode)0b110_000_000); // root's, 0600: nobody cannot read it
        var (code, stderr) = await AsNobody(path);
        Assert.Equal(2, code);
        Assert.Contains($"error: {path}: (file): could not read config file: cannot open {path}: Permission denied", stderr);
        Assert.DoesNotContain(":0:0", stderr);
    }

    [Fact]
    public void The_guard_is_off_for_an_unprivileged_agent_and_on_for_a_privileged_one()
    {
        var path = _dir.Write("pipeline.hocon", Valid, WorldWritable);
        using var handle = File.OpenHandle(path);
        new ConfigPermissionGuard(privileged: false, Posix.EffectiveUserId).Check(path, handle);
        var e = Assert.Throws<ConfigFileRefusedException>(() => new ConfigPermissionGuard(privileged: true, Posix.EffectiveUserId).Check(path, handle));
        Assert.Contains("writable by group and others (mode 0666)", e.Message);
    }

    private static async Task<(int Code, string Stderr)> AsNobody(string path, params string[] caps)
    {
        var start = new ProcessStartInfo("setpriv") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "--reuid=nobody", "--regid=nogroup", "--clear-groups" }.Concat(caps)
                     .Concat(["dotnet", Path.Combine(AppContext.BaseDirectory, "ingrain.dll"), "check-config", path]))
            start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        _ = await p.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stderr);
    }
}

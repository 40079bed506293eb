using System.Diagnostics;
using Ingrain.TestSupport;

namespace Ingrain.Agent.Tests.Packaging;

/// <summary>Builds the single-file linux-x64 binary once (<c>scripts/dist.sh linux-x64 DIR</c>, what <c>make dist</c> runs).</summary>
public sealed class DistFixture : IDisposable
{
    public DistFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("ingrain-dist-").FullName;
        var (code, output) = Run(Path.Combine(RepoPaths.Root, "scripts/dist.sh"), ["linux-x64", Directory], TimeSpan.FromMinutes(10));
        Output = output;
        if (code != 0) throw new InvalidOperationException($"scripts/dist.sh failed ({code}):\n{output}");
    }

    public string Directory { get; }

    public string Binary => Path.Combine(Directory, "ingrain");

    /// <summary>What dist.sh printed (it names the file and its size).</summary>
    public string Output { get; }

    public static (int Code, string Output) Run(string program, IEnumerable<string> args, TimeSpan max, IDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var a in args) start.ArgumentList.Add(a);
        if (environment is not null)
        {
            start.Environment.Clear();
            foreach (var (k, v) in environment) start.Environment[k] = v;
        }
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(max))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {max}");
        }
        return (p.ExitCode, stdout + stderr.Result);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

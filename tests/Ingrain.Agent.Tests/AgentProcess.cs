using System.Diagnostics;
using System.Text;

namespace Ingrain.Agent.Tests;

/// <summary>The real <c>ingrain</c> executable (built beside the tests) run as a child process.</summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private AgentProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ingrain.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static AgentProcess Start(params string[] args) => new(args);

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public void Signal(string signal)
    {
        using var kill = Process.Start("/bin/kill", ["-" + signal, _process.Id.ToString()]);
        kill.WaitForExit();
    }

    public async Task<int> ExitCodeAsync(TimeSpan max)
    {
        using var timeout = new CancellationTokenSource(max);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async Task WaitForAsync(Func<string> text, string expected, TimeSpan max)
    {
        var deadline = DateTime.UtcNow + max;
        while (!text().Contains(expected, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"\"{expected}\" did not appear within {max}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}

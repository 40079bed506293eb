using System.Diagnostics;
using System.Text;

namespace Ingrain.Agent.Tests;

/// <summary>The real <c>ingrain</c> executable (built beside the tests) run as a child process.</summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private AgentProcess(string[] prefix, string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(prefix.Length > 0 ? prefix[0] : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        foreach (var p in prefix.Skip(1).Concat(prefix.Length > 0 ? ["dotnet"] : [])) start.ArgumentList.Add(p);
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ingrain.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static AgentProcess Start(params string[] args) => new([], args);

    /// <summary>The agent with these variables added to its environment.</summary>
    public static AgentProcess StartWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) => new([], args, environment);

    /// <summary>The agent as user <c>nobody</c> with exactly <paramref name="capabilities"/> (e.g. <c>+bpf,+perfmon</c>; empty: none), via setpriv.</summary>
    public static AgentProcess StartAsNobody(string capabilities, params string[] args) =>
        new(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
            .. capabilities.Length == 0 ? Array.Empty<string>() : [$"--inh-caps={capabilities}", $"--ambient-caps={capabilities}"]], args);

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

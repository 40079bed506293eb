using System.Diagnostics;
using System.Text.Json;

namespace Ingrain.Probes.Tests.Network;

/// <summary>One run of net_peer.py (real sockets in a separate process): its JSON output lines, read in order.</summary>
internal sealed class NetPeer : IAsyncDisposable
{
    private readonly Process _process;

    private NetPeer(Process process) => _process = process;

    public int Pid => _process.Id;

    public static NetPeer Start(string mode, params object[] args)
    {
        var psi = new ProcessStartInfo("python3") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardInput = true };
        psi.ArgumentList.Add(RepoFiles.Path("tests/Ingrain.Probes.Tests/Network/net_peer.py"));
        psi.ArgumentList.Add(mode);
        foreach (var a in args) psi.ArgumentList.Add(Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture)!);
        return new NetPeer(Process.Start(psi)!);
    }

    /// <summary>The next JSON line the peer prints (fails after 15 s, e.g. when it crashed).</summary>
    public async Task<JsonElement> ReadAsync()
    {
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(15))
            ?? throw new InvalidOperationException($"net_peer.py ({_process.Id}) ended without output (exit code {(_process.HasExited ? _process.ExitCode : -1)})");
        return JsonDocument.Parse(line).RootElement;
    }

    public Task WriteLineAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    public async Task ExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        if (_process.ExitCode != 0) throw new InvalidOperationException($"net_peer.py exited with {_process.ExitCode}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

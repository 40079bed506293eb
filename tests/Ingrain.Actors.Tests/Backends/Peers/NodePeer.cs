using System.Diagnostics;
using System.Text;

namespace Ingrain.Actors.Tests.Backends.Peers;

/// <summary>A node.js server run by a test: started with a script and arguments, killed (by its own pid) on dispose.</summary>
internal sealed class NodePeer : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodePeer(Process process) => _process = process;

    public static NodePeer Start(string script, IEnumerable<string> args, string workingDirectory)
    {
        var start = new ProcessStartInfo("node")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        // s3rver's paged listings need the legacy OpenSSL provider on current node.
        start.Environment["NODE_OPTIONS"] = "--openssl-legacy-provider";
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var peer = new NodePeer(process);
        process.OutputDataReceived += (_, e) => peer.Append(e.Data);
        process.ErrorDataReceived += (_, e) => peer.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            if (_output.Length < 64 * 1024) _output.AppendLine(line);
        }
    }
}

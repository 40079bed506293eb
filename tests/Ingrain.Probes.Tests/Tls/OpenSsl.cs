using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ingrain.Probes.Tests.Tls;

/// <summary>
/// A real <c>openssl s_server</c> the test starts on 127.0.0.1 or ::1 at a free (never 443) port, with a self-signed
/// EC certificate made for the run, offering ALPN h2 and http/1.1 and answering HTTP (<c>-www</c>) so curl can talk
/// to it too.
/// </summary>
internal sealed class OpenSslServer : IAsyncDisposable
{
    private static readonly Lazy<string> CertDir = new(MakeCertificate);
    private readonly Process _process;
    private readonly StringBuilder _log;

    private OpenSslServer(Process process, string address, int port, StringBuilder log)
    {
        _process = process;
        Address = address;
        Port = port;
        _log = log;
    }

    public int Pid => _process.Id;

    public string Address { get; }

    public int Port { get; }

    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    public static async Task<OpenSslServer> StartAsync(string address)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort(address);
            var psi = new ProcessStartInfo("openssl") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (var a in new[]
                     {
                         "s_server", "-accept", address.Contains(':') ? $"[{address}]:{port}" : $"{address}:{port}",
                         "-cert", Path.Combine(CertDir.Value, "cert.pem"), "-key", Path.Combine(CertDir.Value, "key.pem"),
                         "-alpn", "h2,http/1.1", "-www",
                     })
                psi.ArgumentList.Add(a);
            var process = Process.Start(psi) ?? throw new InvalidOperationException("openssl not installed: run scripts/setup.sh --test");
            var log = new StringBuilder();
            var accepting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) =>
            {
                lock (log) log.AppendLine(e.Data);
                if (e.Data?.Contains("ACCEPT", StringComparison.Ordinal) == true) accepting.TrySetResult();
            };
            process.ErrorDataReceived += (_, e) =>
            {
                lock (log) log.AppendLine(e.Data);
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new OpenSslServer(process, address, port, log);
            var exited = process.WaitForExitAsync();
            if (await Task.WhenAny(accepting.Task, exited, Task.Delay(TimeSpan.FromSeconds(15))) == accepting.Task) return server;
            await server.DisposeAsync();
            if (attempt == 2) throw new InvalidOperationException($"openssl s_server did not accept on {address}:{port}: {server.Log}");
        }
    }

    private static int FreePort(string address)
    {
        while (true)
        {
            using var l = new TcpListener(IPAddress.Parse(address), 0);
            l.Start();
            var port = ((IPEndPoint)l.LocalEndpoint).Port;
            if (port != 443) return port;
        }
    }

    private static string MakeCertificate()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"ingrain-tls-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        var (code, output) = Run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=server.test", "-keyout", Path.Combine(dir, "key.pem"), "-out", Path.Combine(dir, "cert.pem"));
        if (code != 0) throw new InvalidOperationException($"openssl req failed: {output}");
        return dir;
    }

    internal static (int Code, string Output) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}

/// <summary>A client run to the end of its handshake: <c>openssl s_client</c> or curl, as a child process.</summary>
internal sealed record TlsClientRun(int Pid, int ExitCode, string Output)
{
    /// <summary><c>openssl s_client -servername … -alpn …</c> with TLS 1.2 or 1.3 only; stdin closed, so it ends after the handshake.</summary>
    public static Task<TlsClientRun> OpenSslAsync(OpenSslServer server, string version, string sni, string alpn) =>
        RunAsync("openssl", "s_client", "-connect", Endpoint(server), "-servername", sni, "-alpn", alpn, version == "1.3" ? "-tls1_3" : "-tls1_2", "-brief");

    public static Task<TlsClientRun> CurlAsync(OpenSslServer server, string sni) =>
        RunAsync("curl", "-sk", "--http1.1", "-o", "/dev/null", "--max-time", "10", "--resolve", $"{sni}:{server.Port}:{server.Address}", $"https://{sni}:{server.Port}/");

    private static string Endpoint(OpenSslServer s) => s.Address.Contains(':') ? $"[{s.Address}]:{s.Port}" : $"{s.Address}:{s.Port}";

    private static async Task<TlsClientRun> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{file} not installed: run scripts/setup.sh --test");
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new TlsClientRun(p.Id, p.ExitCode, await stdout + await stderr);
    }
}

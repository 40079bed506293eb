using System.Diagnostics;
using System.Globalization;

namespace Ingrain.Probes.Tests;

/// <summary>The peer tshark for the fidelity tests: a capture on loopback printing fields, started and stopped.</summary>
internal static class Tshark
{
    /// <summary>
    /// Starts <c>tshark -l -n -i lo</c> with <paramref name="arguments"/> (filters, decode-as, output format) and an
    /// <c>-e</c> per field; returns once it says it is capturing.
    /// </summary>
    public static async Task<Process> StartAsync(IEnumerable<string> arguments, IEnumerable<string> fields)
    {
        var psi = new ProcessStartInfo("tshark") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-l", "-n", "-i", "lo" }.Concat(arguments)) psi.ArgumentList.Add(a);
        foreach (var f in fields)
        {
            psi.ArgumentList.Add("-e");
            psi.ArgumentList.Add(f);
        }
        var tshark = Process.Start(psi) ?? throw new InvalidOperationException("tshark did not start: run scripts/setup.sh --test");
        // Capturing once it says so on stderr.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await tshark.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { } line)
        {
            if (line.Contains("Capturing on", StringComparison.Ordinal)) break;
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException("tshark did not start capturing");
        }
        _ = tshark.StandardError.ReadToEndAsync();
        return tshark;
    }

    /// <summary>SIGINT: tshark prints what it still holds and exits.</summary>
    public static void Interrupt(int pid)
    {
        using var kill = Process.Start("kill", ["-INT", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}

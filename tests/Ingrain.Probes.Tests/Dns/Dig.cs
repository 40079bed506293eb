using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Ingrain.Probes.Tests.Dns;

/// <summary>One run of <c>dig</c> as a child process: its pid, the message ids and the status it printed.</summary>
internal sealed partial record Dig(int Pid, string Output, IReadOnlyList<ushort> Ids, string Status)
{
    public static async Task<Dig> RunAsync(string server, int port, string name, string type, params string[] options)
    {
        var psi = new ProcessStartInfo("dig") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "@" + server, "-p", port.ToString(CultureInfo.InvariantCulture), name, type, "+tries=1", "+time=5" }.Concat(options))
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("dig did not start: run scripts/setup.sh --test");
        var output = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var text = await output;
        if (process.ExitCode != 0) throw new InvalidOperationException($"dig exited with {process.ExitCode}: {text}");
        var ids = IdLine().Matches(text).Select(m => ushort.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).ToList();
        var status = IdLine().Matches(text).Select(m => m.Groups[1].Value).LastOrDefault() ?? "";
        return new Dig(process.Id, text, ids, status);
    }

    [GeneratedRegex(@"status: (\w+), id: (\d+)")]
    private static partial Regex IdLine();
}

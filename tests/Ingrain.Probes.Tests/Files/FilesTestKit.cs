using System.Collections.Concurrent;
using System.Diagnostics;
using Ingrain.Probes.Files;

namespace Ingrain.Probes.Tests.Files;

/// <summary>Shared pieces of the files probe's kernel tests: a scratch tree, child processes, waiting for events.</summary>
internal static class FilesTestKit
{
    /// <summary>The reference defaults for <paramref name="dirs"/>, sums read only when a test asks (the interval is an
    /// hour); the test process itself is not ignored, so nothing hides a wrong attribution.</summary>
    public static FilesProbeOptions Options(params string[] dirs) =>
        ProbeSettings.Files(dirs) with { AggregationInterval = TimeSpan.FromHours(1), IgnoredProcessId = 0 };

    /// <summary>A fresh directory under /tmp, removed (and unmounted below) on dispose.</summary>
    public sealed class ScratchDir : IDisposable
    {
        public ScratchDir() => Directory.CreateDirectory(Root);

        public string Root { get; } = $"/tmp/ingrain-files-{Guid.NewGuid():N}";

        public string Dir(string relative) => Directory.CreateDirectory(Path.Combine(Root, relative)).FullName;

        public void Dispose()
        {
            // Mounts first, deepest first.
            var mounts = File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4]).Where(m => m.StartsWith(Root, StringComparison.Ordinal))
                .OrderByDescending(m => m.Length).ToList();
            foreach (var m in mounts) Run("umount", "-l", m).GetAwaiter().GetResult();
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Runs a program to its end (it must succeed); returns its pid and what it printed.</summary>
    public static async Task<(int Pid, string Output)> Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await errors}");
        return (process.Id, (await output).Trim());
    }

    public static Task<(int Pid, string Output)> Python(string script, params string[] args) => Run("python3", ["-c", script, .. args]);

    public static async Task<T> WaitForAsync<T>(ConcurrentQueue<Measurement> seen, Func<T, bool> match, string what) where T : Measurement
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (seen.OfType<T>().FirstOrDefault(match) is { } found) return found;
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException($"no {what} within 10 s; saw {seen.Count} measurements:\n" +
            string.Join('\n', seen.Take(50).Select(e => $"{e.Name} {e.Value} {e.Tags}")));
    }

    /// <summary>Sums of file.read / file.write for one process and path.</summary>
    public static (ulong Bytes, ulong Calls) Sum(IEnumerable<Measurement> seen, string name, int pid, string path)
    {
        var events = seen.OfType<FileIoEvent>().Where(e => e.Name == name && e.ProcessId == pid && e.Path == path).ToList();
        return ((ulong)events.Sum(e => (long)e.Bytes), (ulong)events.Sum(e => (long)e.Calls));
    }
}

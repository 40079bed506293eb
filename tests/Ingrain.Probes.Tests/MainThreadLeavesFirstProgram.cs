using System.Diagnostics;

namespace Ingrain.Probes.Tests;

/// <summary>
/// A tiny C program, compiled once per test run with clang (installed by make setup for the BPF build): its main thread
/// calls pthread_exit while a second thread lives on for 100 ms and then calls exit(3).
/// </summary>
internal static class MainThreadLeavesFirstProgram
{
    public const string Name = "ingrain-mtleave";

    private const string Source = """
        #include <pthread.h>
        #include <stdlib.h>
        #include <unistd.h>
        static void *last(void *arg) { (void)arg; usleep(100000); exit(3); }
        int main(void) { pthread_t t; pthread_create(&t, NULL, last, NULL); pthread_exit(NULL); }
        """;

    private static readonly Lazy<Task<string>> Built = new(BuildCoreAsync);

    /// <summary>The path of the compiled program.</summary>
    public static Task<string> BuildAsync() => Built.Value;

    private static async Task<string> BuildCoreAsync()
    {
        var dir = Directory.CreateTempSubdirectory("ingrain-probes-tests-");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => dir.Delete(recursive: true);
        var source = Path.Combine(dir.FullName, Name + ".c");
        var binary = Path.Combine(dir.FullName, Name);
        await File.WriteAllTextAsync(source, Source);
        using var clang = Process.Start(new ProcessStartInfo("clang", ["-O1", "-pthread", "-o", binary, source])
            { UseShellExecute = false, RedirectStandardError = true })!;
        var errors = await clang.StandardError.ReadToEndAsync();
        await clang.WaitForExitAsync();
        if (clang.ExitCode != 0) throw new InvalidOperationException($"clang could not build the test program: {errors}");
        return binary;
    }
}

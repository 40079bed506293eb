using System.Diagnostics;
using System.Globalization;

namespace Ingrain.Probes.Tests.Syscalls;

/// <summary>
/// A tiny C program, compiled once per test run with clang, that waits for a line on stdin (so the probes watching
/// it can attach after its pid is known and before it starts) and then calls getppid, getpgid and getuid exactly as
/// often as told, through syscall(2), and exits. Its C runtime never calls any of the three on its own.
/// </summary>
internal sealed class SyscallWorkload : IAsyncDisposable
{
    public const string Name = "ingrain-sysc";

    private const string Source = """
        #include <sys/syscall.h>
        #include <stdlib.h>
        #include <unistd.h>
        int main(int argc, char **argv) {
            if (argc != 4) return 2;
            long getppids = atol(argv[1]), getpgids = atol(argv[2]), getuids = atol(argv[3]);
            char line[16];
            if (read(0, line, sizeof line) < 0) return 3;
            for (long i = 0; i < getppids; i++) syscall(SYS_getppid);
            for (long i = 0; i < getpgids; i++) syscall(SYS_getpgid, 0);
            for (long i = 0; i < getuids; i++) syscall(SYS_getuid);
            return 0;
        }
        """;

    private static readonly Lazy<Task<string>> Built = new(BuildAsync);
    private readonly Process _process;

    private SyscallWorkload(Process process) => _process = process;

    public int Pid => _process.Id;

    /// <summary>Starts the program, waiting on stdin; nothing is called until <see cref="RunAsync"/>.</summary>
    public static async Task<SyscallWorkload> StartAsync(long getppids, long getpgids, long getuids)
    {
        var binary = await Built.Value;
        var psi = new ProcessStartInfo(binary, [Arg(getppids), Arg(getpgids), Arg(getuids)]) { UseShellExecute = false, RedirectStandardInput = true };
        return new SyscallWorkload(Process.Start(psi) ?? throw new InvalidOperationException("cannot start the workload"));
    }

    /// <summary>Lets the program make its calls and waits until it exited (successfully).</summary>
    public async Task RunAsync()
    {
        await _process.StandardInput.WriteLineAsync("go");
        _process.StandardInput.Close();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (_process.ExitCode != 0) throw new InvalidOperationException($"the workload exited with {_process.ExitCode}");
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

    private static string Arg(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static async Task<string> BuildAsync()
    {
        var dir = Directory.CreateTempSubdirectory("ingrain-syscalls-tests-");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => dir.Delete(recursive: true);
        var source = Path.Combine(dir.FullName, Name + ".c");
        var binary = Path.Combine(dir.FullName, Name);
        await File.WriteAllTextAsync(source, Source);
        using var clang = Process.Start(new ProcessStartInfo("clang", ["-O1", "-o", binary, source]) { UseShellExecute = false, RedirectStandardError = true })!;
        var errors = await clang.StandardError.ReadToEndAsync();
        await clang.WaitForExitAsync();
        if (clang.ExitCode != 0) throw new InvalidOperationException($"clang could not build the workload: {errors}");
        return binary;
    }
}

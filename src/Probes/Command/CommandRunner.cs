using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Ingrain.Probes.Command;

/// <summary>How one run of the command ended.</summary>
public enum CommandRunStatus
{
    Succeeded,
    SpawnFailed,
    TimedOut,
    NonZeroExit,
    OutputTooLarge,
    BadOutput,
}

/// <summary>A finished run: status, captured standard output, exit code and the start of standard error.</summary>
internal sealed record CommandOutput(CommandRunStatus Status, byte[] Stdout, int ExitCode, string Detail);

/// <summary>Runs argv without a shell, capturing bounded output, killing the process tree on timeout.</summary>
internal static class CommandRunner
{
    private const int StderrKept = 2048;

    public static async Task<CommandOutput> RunAsync(IReadOnlyList<string> argv, TimeSpan timeout, int maxOutput, CancellationToken ct)
    {
        var start = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        for (var i = 1; i < argv.Count; i++) start.ArgumentList.Add(argv[i]);

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new CommandOutput(CommandRunStatus.SpawnFailed, [], -1, e.Message);
        }
        process.StandardInput.Close();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var stdout = ReadBoundedAsync(process.StandardOutput.BaseStream, maxOutput);
        var stderr = ReadBoundedAsync(process.StandardError.BaseStream, StderrKept);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            return new CommandOutput(CommandRunStatus.TimedOut, [], -1, $"still running after {timeout}; killed");
        }

        var (output, truncated) = await stdout.ConfigureAwait(false);
        var (error, _) = await stderr.ConfigureAwait(false);
        var errorText = Encoding.UTF8.GetString(error).Trim();
        if (process.ExitCode != 0)
            return new CommandOutput(CommandRunStatus.NonZeroExit, output, process.ExitCode, $"exit code {process.ExitCode}: {errorText}");
        if (truncated)
            return new CommandOutput(CommandRunStatus.OutputTooLarge, [], 0, $"standard output larger than {maxOutput} bytes");
        return new CommandOutput(CommandRunStatus.Succeeded, output, 0, errorText);
    }

    // Keeps at most `limit` bytes but reads to the end so the child never blocks on a full pipe.
    private static async Task<(byte[] Data, bool Truncated)> ReadBoundedAsync(Stream stream, int limit)
    {
        using var kept = new MemoryStream();
        var buffer = new byte[16 * 1024];
        var truncated = false;
        int n;
        while ((n = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            var room = limit - (int)kept.Length;
            if (n > room) truncated = true;
            if (room > 0) kept.Write(buffer, 0, Math.Min(n, room));
        }
        return (kept.ToArray(), truncated);
    }
}

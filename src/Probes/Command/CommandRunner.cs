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

        // One deadline covers the whole run: the wait for exit and reading both pipes. A background child that
        // inherited standard output can keep the pipe open long after the command exited; reading to EOF alone would
        // then wait for that child and stop the probe for good (runs never overlap).
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var stdout = ReadBoundedAsync(process.StandardOutput.BaseStream, maxOutput, deadline.Token);
        var stderr = ReadBoundedAsync(process.StandardError.BaseStream, StderrKept, deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false); // the reads end on the cancelled deadline
            ct.ThrowIfCancellationRequested();
            return new CommandOutput(CommandRunStatus.TimedOut, [], -1, $"still running after {timeout}; killed with its children");
        }

        var output = await stdout.ConfigureAwait(false);
        var error = await stderr.ConfigureAwait(false);
        if (!output.Complete || !error.Complete)
        {
            ct.ThrowIfCancellationRequested();
            return new CommandOutput(CommandRunStatus.TimedOut, [], -1,
                $"exited, but its output stayed open past {timeout} (a background process inherited it); stopped reading");
        }
        var errorText = Encoding.UTF8.GetString(error.Data).Trim();
        if (process.ExitCode != 0)
            return new CommandOutput(CommandRunStatus.NonZeroExit, output.Data, process.ExitCode, $"exit code {process.ExitCode}: {errorText}");
        if (output.Truncated)
            return new CommandOutput(CommandRunStatus.OutputTooLarge, [], 0, $"standard output larger than {maxOutput} bytes");
        return new CommandOutput(CommandRunStatus.Succeeded, output.Data, 0, errorText);
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // exited on its own meanwhile
        }
    }

    private readonly record struct BoundedRead(byte[] Data, bool Truncated, bool Complete);

    // Keeps at most `limit` bytes but reads to the end so the child never blocks on a full pipe; stops early
    // (Complete = false) when the deadline passes before EOF.
    private static async Task<BoundedRead> ReadBoundedAsync(Stream stream, int limit, CancellationToken deadline)
    {
        using var kept = new MemoryStream();
        var buffer = new byte[16 * 1024];
        var truncated = false;
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, deadline).ConfigureAwait(false)) > 0)
            {
                var room = limit - (int)kept.Length;
                if (n > room) truncated = true;
                if (room > 0) kept.Write(buffer, 0, Math.Min(n, room));
            }
        }
        catch (OperationCanceledException)
        {
            return new BoundedRead(kept.ToArray(), truncated, Complete: false);
        }
        return new BoundedRead(kept.ToArray(), truncated, Complete: true);
    }
}

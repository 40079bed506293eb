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

/// <summary>Runs argv without a shell in a process group of its own, capturing bounded output, killing the group on
/// timeout and after the run.</summary>
internal static class CommandRunner
{
    private const int StderrKept = 2048;

    public static async Task<CommandOutput> RunAsync(IReadOnlyList<string> argv, TimeSpan timeout, int maxOutput, CancellationToken ct)
    {
        // In a session of its own (ProcessGroup), so the whole group can be killed; a program that is not there is a
        // spawn failure as before, not a failure of the launcher.
        var program = ProcessGroup.Launcher is null ? argv[0] : ProcessGroup.Resolve(argv[0]);
        if (program is null) return new CommandOutput(CommandRunStatus.SpawnFailed, [], -1, $"{argv[0]}: not found or not executable");
        var start = new ProcessStartInfo(ProcessGroup.Launcher ?? program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        if (ProcessGroup.Launcher is not null)
        {
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(program);
        }
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
            ProcessGroup.KillAll(process.Id);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false); // the reads end on the cancelled deadline
            ct.ThrowIfCancellationRequested();
            return new CommandOutput(CommandRunStatus.TimedOut, [], -1, $"still running after {timeout}; killed with its children");
        }

        // The command is done: what it left running in its group (a backgrounded child) goes too, which also closes
        // the pipes such a child inherited.
        ProcessGroup.KillAll(process.Id);
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

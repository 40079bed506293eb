using Ingrain.Probes.Command;
using Xunit;

namespace Ingrain.Agent.Tests.Hostile;

/// <summary>
/// Issue 10 item 13: the command probe left one orphan per run for <c>sh -c 'sleep … &amp; echo []'</c>. Commands now run
/// in a process group of their own, killed after each run and on timeout.
/// </summary>
public sealed class CommandOrphanSpec
{
    /// <summary>Processes whose command line contains <paramref name="marker"/> (a sleep duration no one else uses).</summary>
    private static List<int> ProcessesWith(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Contains(marker, StringComparison.Ordinal)) found.Add(pid);
            }
            catch (IOException)
            {
                // exited meanwhile
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }

    [Fact]
    public async Task A_backgrounded_child_does_not_outlive_the_run()
    {
        const string marker = "30.4242";
        var probe = new CommandProbe(Settings.Command with
        {
            Name = "bg", Command = ["sh", "-c", $"sleep {marker} & echo []"], Timeout = TimeSpan.FromSeconds(5),
        });
        for (var run = 0; run < 3; run++)
        {
            var result = await probe.RunOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(CommandRunStatus.Succeeded, result.Status); // no longer held open until the timeout
        }
        await WaitUntilGone(marker);
    }

    [Fact]
    public async Task A_timeout_kills_the_whole_group()
    {
        const string marker = "31.4242";
        var probe = new CommandProbe(Settings.Command with
        {
            Name = "slow", Command = ["sh", "-c", $"sleep {marker} & sleep {marker}; echo []"], Timeout = TimeSpan.FromMilliseconds(500),
        });
        var result = await probe.RunOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CommandRunStatus.TimedOut, result.Status);
        await WaitUntilGone(marker);
    }

    // SIGKILL is delivered at once, but the kernel may take a moment to remove the processes from /proc.
    private static async Task WaitUntilGone(string marker)
    {
        for (var i = 0; i < 50 && ProcessesWith(marker).Count > 0; i++) await Task.Delay(20);
        Assert.Empty(ProcessesWith(marker));
    }
}

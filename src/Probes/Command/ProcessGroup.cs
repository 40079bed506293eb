using System.Runtime.InteropServices;
using Ingrain.Topology.Security;

namespace Ingrain.Probes.Command;

/// <summary>
/// Runs each command in a session (and process group) of its own, so that everything it started can be killed at
/// once: on timeout, and after every run (<c>sh -c 'sleep 30 &amp; echo []'</c> used to leave one orphan per run).
/// .NET's Process cannot call setsid in the child, so the command is started through util-linux <c>setsid</c>, which
/// calls setsid(2) and then execs the command in the same process: the pid we get is the session's and the group's id.
/// A process that calls setsid itself leaves the group; that is the one way out, and the timeout still covers it.
/// </summary>
internal static partial class ProcessGroup
{
    private const int SigKill = 9;

    /// <summary>The setsid program, or null when this machine has none (commands then run in the agent's group).</summary>
    public static string? Launcher { get; } = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <summary>The program's full path as execvp would find it, or null when it would not (then the run is a spawn
    /// failure, told apart from a failure of the command itself).</summary>
    public static string? Resolve(string program)
    {
        if (program.Contains('/')) return File.Exists(program) ? Path.GetFullPath(program) : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':'))
        {
            var candidate = Path.Combine(dir.Length == 0 ? "." : dir, program);
            if (File.Exists(candidate) && Posix.CanExecute(candidate)) return Path.GetFullPath(candidate);
        }
        return null;
    }

    /// <summary>SIGKILL to every process still in the group led by <paramref name="leader"/> (none left is fine).</summary>
    public static void KillAll(int leader)
    {
        if (Launcher is not null && leader > 1) _ = Kill(-leader, SigKill);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

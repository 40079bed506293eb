namespace Ingrain.Probes.Exec;

/// <summary>Who an exec or exit event is about.</summary>
/// <param name="ProcessId">The thread-group id (what user space calls the pid).</param>
/// <param name="ThreadId">The kernel task id of the thread that ran the event.</param>
/// <param name="ParentProcessId">The real parent's thread-group id.</param>
/// <param name="Command">The task's comm (at most 15 bytes).</param>
/// <param name="CgroupId">The cgroup v2 id (inode of the cgroup directory).</param>
public readonly record struct ProcessIdentity(int ProcessId, int ThreadId, int ParentProcessId, uint Uid, uint Gid,
    string Command, ulong CgroupId);

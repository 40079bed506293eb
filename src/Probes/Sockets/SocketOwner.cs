namespace Ingrain.Probes.Sockets;

/// <summary>Which hook named a socket's owner (<c>enum sock_owner_hook</c>).</summary>
public enum SocketOwnerHook : byte
{
    Unknown = 0,
    Create = 1,
    Connect = 2,
    Bind = 3,
    Message = 4,
    Accept = 5,
    Io = 6,
    Seed = 7,
    Close = 8,
}

/// <summary>The process that owns a socket.</summary>
/// <param name="ProcessId">Thread-group id (what <c>ps</c> calls PID).</param>
/// <param name="ThreadId">The thread that created, connected, bound or accepted the socket.</param>
/// <param name="Command">The process's name: its main thread's comm.</param>
/// <param name="ThreadCommand">The thread's own comm (e.g. <c>isc-net-0000</c> in <c>dig</c>).</param>
/// <param name="BootNs">When the owner was recorded (CLOCK_BOOTTIME).</param>
public sealed record SocketOwner(int ProcessId, int ThreadId, uint Uid, string Command, string ThreadCommand, SocketOwnerHook Hook, ulong BootNs);

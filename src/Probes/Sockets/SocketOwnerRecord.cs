using System.Runtime.InteropServices;
using System.Text;

namespace Ingrain.Probes.Sockets;

/// <summary>Mirror of <c>struct sock_owner</c> (bpf/sockets/sock_owner.h); SocketsAbiTests compares the two.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SocketOwnerRecord
{
    public ulong BootNs;
    public uint Tgid;
    public uint Pid;
    public uint Uid;
    public byte Hook;
    public fixed byte Reserved[3];
    public fixed byte Comm[16];
    public fixed byte ThreadComm[16];

    public readonly SocketOwner ToOwner()
    {
        fixed (byte* comm = Comm)
        fixed (byte* thread = ThreadComm)
        {
            return new SocketOwner((int)Tgid, (int)Pid, Uid, CString(comm), CString(thread), (SocketOwnerHook)Hook, BootNs);
        }
    }

    internal static string CString(byte* bytes, int length = 16)
    {
        var span = new ReadOnlySpan<byte>(bytes, length);
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }
}

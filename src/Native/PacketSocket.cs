using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Ingrain.Native.Errors;
using Ingrain.Native.Interop;

namespace Ingrain.Native;

/// <summary>
/// An AF_PACKET raw socket seeing every packet on every interface (ETH_P_ALL): where socket filter programs
/// attach. Closing it detaches any filter.
/// </summary>
public sealed unsafe class PacketSocket : SafeHandle
{
    private PacketSocket(int fd) : base(-1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle == -1;

    public static PacketSocket Open()
    {
        var protocol = BinaryPrimitives.ReverseEndianness(LibC.ETH_P_ALL); // htons
        var fd = LibC.Socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == 1) throw new BpfPermissionException("open AF_PACKET socket", errno);
            throw new BpfException(BpfException.Describe("open AF_PACKET socket", errno), errno);
        }
        return new PacketSocket(fd);
    }

    protected override bool ReleaseHandle() => LibC.Close((int)handle) == 0;
}

/// <summary>A socket filter attached with SO_ATTACH_BPF; disposing detaches it (SO_DETACH_BPF) if the socket is still open.</summary>
public sealed unsafe class SocketFilterAttachment : IDisposable
{
    private readonly BpfObject _owner;
    private readonly SafeHandle _socket;
    private int _disposed;

    internal SocketFilterAttachment(BpfObject owner, SafeHandle socket)
    {
        _owner = owner;
        _socket = socket;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _owner.Untrack(this);
        if (_socket.IsClosed) return;
        var added = false;
        _socket.DangerousAddRef(ref added);
        try
        {
            var unused = 0;
            LibC.SetSockOpt((int)_socket.DangerousGetHandle(), LibC.SOL_SOCKET, LibC.SO_DETACH_BPF, &unused, sizeof(int));
        }
        finally
        {
            if (added) _socket.DangerousRelease();
        }
    }
}

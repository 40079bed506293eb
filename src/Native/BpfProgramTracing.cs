using System.Runtime.InteropServices;
using Ingrain.Native.Errors;
using Ingrain.Native.Interop;

namespace Ingrain.Native;

/// <summary>BTF tracepoints and BPF iterators.</summary>
public sealed unsafe partial class BpfProgram
{
    /// <summary>Whether the program is in the kernel (false before Load() and for programs with autoload off).</summary>
    public bool IsLoaded => LibBpf.ProgramFd(Pointer) >= 0;

    /// <summary>
    /// Attaches a <c>tp_btf/…</c> program (a BTF raw tracepoint: its arguments are typed kernel pointers) to the
    /// tracepoint its section names.
    /// </summary>
    public BpfLink AttachBtfTracepoint()
    {
        EnsureLoaded();
        nint link;
        int errno;
        using (new LibBpfLog.Capture())
        {
            link = LibBpf.ProgramAttach(Pointer);
            errno = Marshal.GetLastPInvokeError();
        }
        if (link != 0) return Track(link, Section);
        if (errno == 2) throw new BpfTracepointNotFoundException("btf", Section, errno);
        throw AttachError($"attach {Name} ({Section})", errno);
    }

    /// <summary>
    /// Runs an <c>iter/…</c> program once over everything it iterates (e.g. every open file of every task) and
    /// returns what it wrote with <c>bpf_seq_write</c>. The iterator's link lives only during the call.
    /// </summary>
    public byte[] RunIterator()
    {
        EnsureLoaded();
        nint link;
        int errno;
        using (new LibBpfLog.Capture())
        {
            link = LibBpf.ProgramAttach(Pointer);
            errno = Marshal.GetLastPInvokeError();
        }
        if (link == 0) throw AttachError($"attach iterator {Name} ({Section})", errno);
        try
        {
            var fd = LibBpf.IterCreate(LibBpf.LinkFd(link));
            if (fd < 0) throw new BpfException(BpfException.Describe($"create iterator {Name}", -fd), -fd);
            try
            {
                using var output = new MemoryStream();
                var buffer = new byte[16384];
                while (true)
                {
                    nint n;
                    fixed (byte* b = buffer) n = LibC.Read(fd, b, (nuint)buffer.Length);
                    if (n == 0) return output.ToArray();
                    if (n < 0)
                    {
                        var e = Marshal.GetLastPInvokeError();
                        if (e == 4 /* EINTR */) continue;
                        throw new BpfException(BpfException.Describe($"read iterator {Name}", e), e);
                    }
                    output.Write(buffer, 0, (int)n);
                }
            }
            finally
            {
                LibC.Close(fd);
            }
        }
        finally
        {
            LibBpf.LinkDestroy(link);
        }
    }
}

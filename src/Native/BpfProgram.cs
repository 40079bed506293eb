using System.Runtime.InteropServices;
using Ingrain.Native.Errors;
using Ingrain.Native.Interop;

namespace Ingrain.Native;

/// <summary>
/// One program of a <see cref="BpfObject"/>. Attaching returns a link (or a socket filter attachment) that the
/// object also tracks, so disposing either the attachment or the object detaches it.
/// </summary>
public sealed unsafe partial class BpfProgram
{
    private readonly BpfObject _owner;
    private readonly nint _prog;

    internal BpfProgram(BpfObject owner, nint prog)
    {
        _owner = owner;
        _prog = prog;
        Name = LibBpf.Utf8(LibBpf.ProgramName(prog)) ?? "";
        Section = LibBpf.Utf8(LibBpf.ProgramSectionName(prog)) ?? "";
    }

    /// <summary>The C function name (the kernel keeps its first 15 characters).</summary>
    public string Name { get; }

    /// <summary>The ELF section, e.g. <c>tracepoint/sched/sched_process_exec</c>.</summary>
    public string Section { get; }

    /// <summary>The program's fd once loaded.</summary>
    public int Fd => EnsureLoaded();

    /// <summary>The kernel's id for the loaded program (as <c>bpftool prog show id N</c> shows it).</summary>
    public uint Id => BpfIds.IdOfFd(Fd);

    /// <summary>Whether the program is loaded with the object (default true); set before <see cref="BpfObject.Load"/>.</summary>
    public void SetAutoload(bool autoload)
    {
        if (_owner.IsLoaded) throw new InvalidOperationException($"{Name}: set autoload before Load()");
        LibBpf.ProgramSetAutoload(Pointer, autoload);
    }

    /// <summary>Attaches to <c>/sys/kernel/tracing/events/{category}/{name}</c>.</summary>
    /// <exception cref="BpfTracepointNotFoundException">No such tracepoint on this kernel.</exception>
    public BpfLink AttachTracepoint(string category, string name)
    {
        EnsureLoaded();
        var c = BpfObject.Utf8Z(category);
        var n = BpfObject.Utf8Z(name);
        nint link;
        int errno;
        using (new LibBpfLog.Capture())
        fixed (byte* cp = c)
        fixed (byte* np = n)
        {
            link = LibBpf.ProgramAttachTracepoint(Pointer, cp, np);
            errno = Marshal.GetLastPInvokeError();
        }
        if (link != 0) return Track(link, $"tracepoint {category}/{name}");
        if (errno == 2 /* ENOENT */) throw new BpfTracepointNotFoundException(category, name, errno);
        throw AttachError($"attach {Name} to tracepoint {category}/{name}", errno);
    }

    /// <summary>Attaches to a raw tracepoint (e.g. <c>sys_enter</c>, <c>sched_process_exec</c>).</summary>
    public BpfLink AttachRawTracepoint(string name)
    {
        EnsureLoaded();
        var n = BpfObject.Utf8Z(name);
        nint link;
        int errno;
        using (new LibBpfLog.Capture())
        fixed (byte* np = n)
        {
            link = LibBpf.ProgramAttachRawTracepoint(Pointer, np);
            errno = Marshal.GetLastPInvokeError();
        }
        if (link != 0) return Track(link, $"raw tracepoint {name}");
        if (errno == 2) throw new BpfTracepointNotFoundException("raw", name, errno);
        throw AttachError($"attach {Name} to raw tracepoint {name}", errno);
    }

    /// <summary>Attaches a cgroup program (its section names the hook, e.g. <c>cgroup_skb/egress</c>) to a cgroup v2 directory.</summary>
    public BpfLink AttachCgroup(string cgroupPath)
    {
        EnsureLoaded();
        var fd = LibC.Open(cgroupPath, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
        if (fd < 0)
            throw new BpfException(BpfException.Describe($"open cgroup {cgroupPath} (a cgroup v2 directory is needed)", Marshal.GetLastPInvokeError()));
        try
        {
            var link = LibBpf.ProgramAttachCgroup(Pointer, fd);
            var errno = Marshal.GetLastPInvokeError();
            if (link != 0) return Track(link, $"cgroup {cgroupPath}");
            throw AttachError($"attach {Name} to cgroup {cgroupPath}", errno);
        }
        finally
        {
            LibC.Close(fd); // the link keeps its own reference to the cgroup
        }
    }

    /// <summary>Attaches a socket filter program (SO_ATTACH_BPF) to a socket, e.g. a <see cref="PacketSocket"/>.</summary>
    public SocketFilterAttachment AttachSocketFilter(SafeHandle socket)
    {
        var progFd = EnsureLoaded();
        var added = false;
        socket.DangerousAddRef(ref added);
        try
        {
            var fd = (int)socket.DangerousGetHandle();
            if (LibC.SetSockOpt(fd, LibC.SOL_SOCKET, LibC.SO_ATTACH_BPF, &progFd, sizeof(int)) != 0)
                throw AttachError($"attach {Name} to socket", Marshal.GetLastPInvokeError());
        }
        finally
        {
            if (added) socket.DangerousRelease();
        }
        return _owner.Track(new SocketFilterAttachment(_owner, socket));
    }

    private nint Pointer => _owner.IsDisposed ? throw new ObjectDisposedException(_owner.Name) : _prog;

    private int EnsureLoaded()
    {
        var fd = LibBpf.ProgramFd(Pointer);
        return fd >= 0 ? fd : throw new InvalidOperationException($"{_owner.Name}/{Name} is not loaded: call BpfObject.Load() first");
    }

    private BpfLink Track(nint link, string target) => _owner.Track(new BpfLink(_owner, link, $"{Name} -> {target}"));

    private static BpfException AttachError(string operation, int errno) => errno switch
    {
        1 or 13 when !BpfPreflight.HasBpfPrivileges() => new BpfPermissionException(operation, errno),
        // libbpf reads the tracepoint's id from tracefs, which only root (or a DAC-bypassing capability) may read.
        13 when !BpfPreflight.CanReadTracefs() => new BpfPermissionException(operation, errno,
            "Reading the tracepoint's id from tracefs needs CAP_DAC_READ_SEARCH."),
        1 when !BpfPreflight.CanAttachCgroupPrograms() => new BpfPermissionException(operation, errno, "Attaching to a cgroup needs CAP_NET_ADMIN."),
        _ => new BpfException(BpfException.Describe(operation, errno), errno),
    };
}

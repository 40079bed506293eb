using System.Runtime.InteropServices;
using Ingrain.Native.Interop;

namespace Ingrain.Native;

/// <summary>
/// An attached program (<c>struct bpf_link *</c>). Disposing detaches it; the owning <see cref="BpfObject"/>
/// also disposes it when the object is disposed.
/// </summary>
public sealed class BpfLink : SafeHandle
{
    private readonly BpfObject _owner;

    internal BpfLink(BpfObject owner, nint link, string description) : base(0, ownsHandle: true)
    {
        _owner = owner;
        SetHandle(link);
        Description = description;
        Id = BpfIds.IdOfFd(LibBpf.LinkFd(link));
    }

    /// <summary>e.g. <c>ingrain_exec -> tracepoint sched/sched_process_exec</c>.</summary>
    public string Description { get; }

    /// <summary>The kernel's link id (as <c>bpftool link show id N</c> shows it); 0 for legacy perf-event attachments.</summary>
    public uint Id { get; }

    public override bool IsInvalid => handle == 0;

    /// <summary>Detaches the program (same as <see cref="SafeHandle.Dispose()"/>).</summary>
    public void Detach() => Dispose();

    protected override bool ReleaseHandle()
    {
        _owner.Untrack(this);
        return LibBpf.LinkDestroy(handle) == 0;
    }

    public override string ToString() => Description;
}

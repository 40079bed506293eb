namespace Ingrain.Native;

/// <summary>
/// Wake-up batching for a ring buffer written with INGRAIN_SUBMIT (bpf/include/ingrain.h). By default the kernel
/// wakes a sleeping reader for every record, which at high rates costs more CPU than the record itself. With
/// batching, the BPF side wakes the reader only once <see cref="WakeupBytes"/> are waiting, and the reader also
/// wakes every <see cref="MaxDelay"/> to collect what is below the threshold: a record waits at most that long.
/// </summary>
public sealed record RingBufferBatching(ulong WakeupBytes, TimeSpan MaxDelay)
{
    /// <summary>The BPF global that carries <see cref="WakeupBytes"/>.</summary>
    public const string GlobalName = "ingrain_wakeup_bytes";

    /// <summary>Sets the threshold in <paramref name="obj"/>; call before <see cref="BpfObject.Load"/>.</summary>
    public void ApplyTo(BpfObject obj) => obj.SetGlobal(GlobalName, WakeupBytes);

    internal int EpollTimeoutMs => (int)Math.Clamp(MaxDelay.TotalMilliseconds, 1, int.MaxValue);
}

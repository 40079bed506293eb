namespace Ingrain.Probes.Syscalls;

/// <summary>
/// The syscalls probe's own counters, shown in the status after the common ones (calls-lost is also part of
/// <c>kernel-lost</c>). Thread-safe; totals across restarts (the module hands the same instance on).
/// </summary>
public sealed class SyscallsProbeCounters : CounterSet
{
    private readonly Counter _callsLost, _drains;

    public SyscallsProbeCounters()
    {
        _callsLost = Define("calls-lost");
        _drains = Define("drains");
    }

    /// <summary>Calls not counted because their (process, syscall) pair found the count map full (max-pairs).</summary>
    public long CallsLost => _callsLost.Value;

    /// <summary>Intervals read and reset so far.</summary>
    public long Drains => _drains.Value;

    internal void AddCallsLost(long n) => _callsLost.Add(n);

    internal void CountDrain() => _drains.Increment();
}

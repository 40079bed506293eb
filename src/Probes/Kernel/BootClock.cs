using System.Runtime.InteropServices;

namespace Ingrain.Probes.Kernel;

/// <summary>
/// Turns the kernel's CLOCK_BOOTTIME stamps (<c>bpf_ktime_get_boot_ns</c>) into wall-clock nanoseconds since the
/// Unix epoch. The offset between the clocks is re-read at most once a second, so wall-clock steps (NTP) show up.
/// </summary>
internal sealed partial class BootClock
{
    private const int ClockRealtime = 0, ClockBoottime = 7;
    private long _offset;
    private long _refreshedAt;
    private bool _initialized;

    public long ToUnixNanos(ulong bootNanos)
    {
        var now = Environment.TickCount64;
        if (!_initialized || now - _refreshedAt > 1000)
        {
            _initialized = true;
            _offset = Now(ClockRealtime) - Now(ClockBoottime);
            _refreshedAt = now;
        }
        return (long)bootNanos + _offset;
    }

    private static unsafe long Now(int clock)
    {
        var ts = stackalloc long[2];
        ClockGetTime(clock, ts);
        return ts[0] * 1_000_000_000L + ts[1];
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static unsafe partial int ClockGetTime(int clock, long* timespec);
}

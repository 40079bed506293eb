using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ingrain.Probes.Syscalls;

/// <summary><c>struct syscall_key</c> (bpf/syscalls/syscalls.h): the key of the count maps.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SyscallKey
{
    public uint Tgid;
    public uint Nr;
}

/// <summary><c>struct syscall_comm</c>: the value of the comm maps.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SyscallComm
{
    public fixed byte Comm[16];
}

/// <summary>The <c>monitored</c> global: one bit per syscall number below <see cref="Count"/>.</summary>
[InlineArray(Words)]
internal struct SyscallBitmap
{
    public const int Words = 16;

    /// <summary>Syscall numbers the bitmap covers (<c>SYSCALLS_MAX_NR</c>).</summary>
    public const int Count = Words * 64;

    private ulong _word;

    public static SyscallBitmap Of(IEnumerable<int> numbers)
    {
        var bitmap = new SyscallBitmap();
        foreach (var nr in numbers)
        {
            if (nr is < 0 or >= Count) throw new ArgumentOutOfRangeException(nameof(numbers), nr, $"syscall numbers go up to {Count - 1}");
            bitmap[nr / 64] |= 1UL << (nr % 64);
        }
        return bitmap;
    }
}

/// <summary>Indexes of the <c>syscall_errors</c> map (<c>enum syscall_error</c>).</summary>
internal static class SyscallErrors
{
    public const uint CallsLost = 0;
}

using System.Runtime.InteropServices;

namespace Ingrain.Probes.Files;

/// <summary>
/// The kernel's prefilter of the monitored set (<c>monitored_bloom</c> in bpf/files/files.bpf.c): one bit per
/// monitored {dev, ino}. The walk of an open's ancestors looks an ancestor up in the <c>monitored</c> hash only when
/// its bit is set, so an unmonitored open costs a load per ancestor instead of a hash lookup. A false positive costs
/// the lookup; a clear bit is certain.
/// </summary>
internal static class MonitorBloom
{
    public const int Bits = 65536; // FILES_BLOOM_BITS

    /// <summary>The bit of {dev, ino}: Fibonacci hashing, as <c>files_bloom_index</c> computes it.</summary>
    public static int IndexOf(MonitorKey key) =>
        (int)(unchecked(key.Ino * 0x9E3779B97F4A7C15UL + key.Dev * 0xC2B2AE3D27D4EB4FUL) >> 48);

    /// <summary>The map's value (words of 64 bits) with a bit set for each key.</summary>
    public static byte[] Of(IEnumerable<MonitorKey> keys)
    {
        var words = new ulong[Bits / 64];
        foreach (var key in keys)
        {
            var bit = IndexOf(key);
            words[bit / 64] |= 1UL << (bit % 64);
        }
        return MemoryMarshal.AsBytes(words.AsSpan()).ToArray();
    }
}

using System.Buffers.Binary;
using Ingrain.Native;

namespace Ingrain.Probes.Sockets;

/// <summary>What seeding the owner map found among the sockets open before the hooks were attached.</summary>
/// <param name="WithoutCookie">Sockets that had no cookie yet (the iterator cannot make one).</param>
/// <param name="Unresolved">Of those, the ones still without an owner after the second pass (closed meanwhile, or
/// their descriptor could not be borrowed).</param>
public sealed record SocketSeedReport(int WithoutCookie, int Unresolved);

/// <summary>
/// Fills the owner map with every IPv4/IPv6 socket already open (<c>iter/task_file</c>, ingrain_sk_seed). Sockets the
/// iterator reports without a cookie get one from <see cref="SocketCookies"/>, then the iterator runs once more.
/// </summary>
internal static class SocketOwnerSeeder
{
    public static SocketSeedReport Run(BpfProgram iterator)
    {
        var missing = Missing(iterator.RunIterator());
        if (missing.Count == 0) return new SocketSeedReport(0, 0);
        foreach (var (tgid, fd) in missing) SocketCookies.Of(tgid, fd);
        return new SocketSeedReport(missing.Count, Missing(iterator.RunIterator()).Count);
    }

    /// <summary>The iterator's output: <c>struct seed_missing { u32 tgid; u32 fd; }</c> back to back.</summary>
    internal static List<(int Tgid, int Fd)> Missing(ReadOnlySpan<byte> output)
    {
        var list = new List<(int, int)>(output.Length / 8);
        for (var i = 0; i + 8 <= output.Length; i += 8)
            list.Add(((int)BinaryPrimitives.ReadUInt32LittleEndian(output[i..]), (int)BinaryPrimitives.ReadUInt32LittleEndian(output[(i + 4)..])));
        return list;
    }
}

using Ingrain.Native;

namespace Ingrain.Probes.Kernel;

/// <summary>
/// The BPF objects compiled from bpf/ by bpf/Bpf.targets and embedded in this assembly, named by their path
/// under bpf/, e.g. <c>exec/exec.bpf.o</c>. The agent never compiles anything on the target host.
/// </summary>
public static class EmbeddedBpfObjects
{
    public const string Exec = "exec/exec.bpf.o";
    public const string RingBufferBench = "bench/ringbuf_bench.bpf.o";
    public const string Sockets = "sockets/sockets.bpf.o";
    public const string Network = "network/network.bpf.o";
    public const string Files = "files/files.bpf.o";
    public const string Syscalls = "syscalls/syscalls.bpf.o";
    public const string Packets = "packets/packets.bpf.o";

    /// <summary>Every embedded object's name.</summary>
    public static IEnumerable<string> Names =>
        typeof(EmbeddedBpfObjects).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("bpf/", StringComparison.Ordinal)).Select(n => n["bpf/".Length..]);

    public static byte[] ReadBytes(string name)
    {
        using var stream = typeof(EmbeddedBpfObjects).Assembly.GetManifestResourceStream("bpf/" + name)
            ?? throw new FileNotFoundException($"no embedded BPF object {name}; embedded: {string.Join(", ", Names)}");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Opens (does not load) an embedded object; the object's name is the file name without <c>.bpf.o</c>, prefixed <c>ingrain_</c>.</summary>
    public static BpfObject Open(string name) =>
        BpfObject.Open(ReadBytes(name), "ingrain_" + Path.GetFileName(name).Replace(".bpf.o", "", StringComparison.Ordinal));
}

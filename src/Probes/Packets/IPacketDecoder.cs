namespace Ingrain.Probes.Packets;

/// <summary>What a probe on the shared packet capture decodes its records with (single-threaded: its probe locks).</summary>
internal interface IPacketDecoder
{
    long Malformed { get; }
    long Duplicates { get; }
    long Unowned { get; }
    long Truncated { get; }
    long Reassembled { get; }

    void Decode(ReadOnlySpan<byte> record, Action<Measurement> emit);

    /// <summary>Emits what waited long enough (held for an owner, reassembly timed out); <paramref name="all"/>: everything.</summary>
    void Tick(Action<Measurement> emit, bool all = false);
}

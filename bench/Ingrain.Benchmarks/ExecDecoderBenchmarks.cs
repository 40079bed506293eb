using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Attributes;
using Ingrain.Probes;
using Ingrain.Probes.Exec;

namespace Ingrain.Benchmarks;

/// <summary>
/// Managed allocations per decoded exec and exit record: the decoder alone (what a probe pays for an event that a
/// step then drops or routes by name), and the decoder plus a read of every tag (what the JSON encoder pays).
/// The records are shaped as the kernel sends them (header, filename, argv). Run:
/// <c>make bench ARGS="--filter *ExecDecoder*"</c>.
/// </summary>
[MemoryDiagnoser]
public class ExecDecoderBenchmarks
{
    private readonly ExecDecoder _decoder = new(new BootClock());
    private byte[] _exec = [];
    private byte[] _exit = [];

    [GlobalSetup]
    public unsafe void Setup()
    {
        var r = new ExecRecord { Op = (byte)OpCode.Exec, Pid = 4242, Tgid = 4242, Ppid = 17, Uid = 1000, Gid = 1000, CgroupId = 8123, BootNs = 1 };
        Encoding.ASCII.GetBytes("git", new Span<byte>(r.Comm, 16));
        var path = "/usr/bin/git"u8;
        var args = "git\0status\0--short\0--branch\0"u8;
        r.FilenameLen = (ushort)path.Length;
        r.ArgsLen = (uint)args.Length;
        var header = (int)Marshal.OffsetOf<ExecRecord>(nameof(ExecRecord.Data));
        _exec = [.. new ReadOnlySpan<byte>(&r, header), .. path, .. args];

        var x = new ExitRecord { Op = (byte)OpCode.Exit, Pid = 4242, Tgid = 4242, Ppid = 17, Uid = 1000, Gid = 1000, CgroupId = 8123, BootNs = 2, DurationNs = 1_234_567 };
        Encoding.ASCII.GetBytes("git", new Span<byte>(x.Comm, 16));
        _exit = new ReadOnlySpan<byte>(&x, sizeof(ExitRecord)).ToArray();
    }

    [Benchmark(Description = "decode exec record")]
    public Measurement? DecodeExec() => _decoder.Decode(_exec);

    [Benchmark(Description = "decode exec record + read its tags")]
    public int DecodeExecAndReadTags() => ReadTags(_decoder.Decode(_exec)!);

    [Benchmark(Description = "decode exit record")]
    public Measurement? DecodeExit() => _decoder.Decode(_exit);

    [Benchmark(Description = "decode exit record + read its tags")]
    public int DecodeExitAndReadTags() => ReadTags(_decoder.Decode(_exit)!);

    private static int ReadTags(Measurement m)
    {
        var n = 0;
        foreach (var tag in m.Tags.AsSpan()) n += tag.Value.Length;
        return n;
    }
}

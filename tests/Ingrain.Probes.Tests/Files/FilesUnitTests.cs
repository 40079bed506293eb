using System.Runtime.InteropServices;
using System.Text;
using Ingrain.Probes.Files;
using Ingrain.Probes.Kernel;
using Xunit;

namespace Ingrain.Probes.Tests.Files;

/// <summary>The files probe's records match the C structs (BTF of bpf/abi/files_abi.bpf.c, opened, never loaded), and
/// its user-space pieces: path normalization and hashing, flags, device numbers, malformed records.</summary>
public sealed class FilesUnitTests
{
    [Fact]
    public void FileRecord_matches_struct_file_record() => AssertSameLayout<FileRecord>("file_record");

    [Fact]
    public void MonitorKey_matches_struct_monitor_key() => AssertSameLayout<MonitorKey>("monitor_key");

    [Fact]
    public void IoKey_matches_struct_io_key() => AssertSameLayout<IoKey>("io_key");

    [Fact]
    public void IoValue_matches_struct_io_value() => AssertSameLayout<IoValue>("io_value");

    [Fact]
    public void FilesConfig_matches_struct_files_config() => AssertSameLayout<FilesConfig>("files_config");

    [Fact]
    public void The_bloom_value_is_the_size_of_struct_monitor_bloom()
    {
        using var obj = AbiLayout.Open("bpf/files_abi.bpf.o");
        Assert.Equal(obj.StructLayout("monitor_bloom").Size, MonitorBloom.Of([]).Length);
    }

    // Reference values: (ino * 0x9E3779B97F4A7C15 + dev * 0xC2B2AE3D27D4EB4F) mod 2^64, top 16 bits (computed in Python).
    [Theory]
    [InlineData(2UL, 0x800001u, 7605)]
    [InlineData(131UL, 0x1eu, 51027)]
    [InlineData(123456789UL, 0xfd00000u, 58743)]
    public void The_bloom_bit_of_a_key_is_fibonacci_hashing_as_the_kernel_side_computes_it(ulong ino, uint dev, int bit) =>
        Assert.Equal(bit, MonitorBloom.IndexOf(new MonitorKey(dev, ino)));

    [Fact]
    public void The_bloom_has_exactly_the_bits_of_its_keys()
    {
        MonitorKey[] keys = [new(0x800001, 2), new(0x1e, 131), new(0xfd00000, 123456789)];
        var words = MemoryMarshal.Cast<byte, ulong>(MonitorBloom.Of(keys)).ToArray();
        var set = Enumerable.Range(0, MonitorBloom.Bits).Where(bit => (words[bit / 64] & (1UL << (bit % 64))) != 0);
        Assert.Equal(keys.Select(MonitorBloom.IndexOf).Order(), set);
    }

    private static void AssertSameLayout<T>(string cStruct) where T : unmanaged => AbiLayout.AssertSame<T>("bpf/files_abi.bpf.o", cStruct);

    [Theory]
    [InlineData("/etc/passwd", "/etc/passwd")]
    [InlineData("/tmp/../etc//./ssh/", "/etc/ssh")]
    [InlineData("/../../x", "/x")]
    [InlineData("/", "/")]
    [InlineData("/a/b/../../..", "/")]
    public void Paths_normalize_lexically(string raw, string normalized) => Assert.Equal(normalized, PathText.Normalize(raw));

    [Fact]
    public void The_path_hash_is_fnv1a_of_the_normalized_path_and_the_root_is_the_empty_string()
    {
        Assert.Equal(0xcbf29ce484222325UL, PathText.Hash("/"));
        Assert.Equal(0xaf63dc4c8601ec8cUL, PathText.Hash("a")); // FNV-1a 64 of "a" (the published test vector)
        Assert.NotEqual(PathText.Hash("/etc"), PathText.Hash("/etcx"));
    }

    [Theory]
    [InlineData(0x0u, "O_RDONLY")]
    [InlineData(0x80241u, "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC")]
    [InlineData(0x101002u, "O_RDWR|O_SYNC")]
    [InlineData(0x410002u, "O_RDWR|O_TMPFILE")]
    [InlineData(0x10000000u, "O_RDONLY|0x10000000")]
    public void Open_flags_read_as_their_names(uint flags, string text) => Assert.Equal(text, OpenFlags.Format(flags));

    [Theory]
    [InlineData(8u, 1u, 2049UL)]          // sda1: st_dev 0x801
    [InlineData(0u, 45u, 45UL)]           // an anonymous device (tmpfs)
    [InlineData(259u, 300u, 0x11032cUL)]  // nvme, minor > 255
    public void Device_numbers_convert_between_the_kernel_and_stat(uint major, uint minor, ulong stat)
    {
        var kernel = (major << 20) | minor;
        Assert.Equal(stat, DeviceNumbers.KernelToStat(kernel));
        Assert.Equal(kernel, DeviceNumbers.StatToKernel(stat));
    }

    [Fact]
    public void Records_short_of_their_header_with_a_wrong_length_or_opcode_are_counted_malformed()
    {
        var paths = new FilePaths();
        var decoder = new FilesDecoder(new BootClock(), paths, new HashSet<string>());
        var emitted = new List<Measurement>();
        decoder.Decode(new byte[10], emitted.Add);
        decoder.Decode(Record(OpCode.FileOpen, "/etc/passwd", extra: 3), emitted.Add);
        decoder.Decode(Record(OpCode.Exec, "/etc/passwd"), emitted.Add);
        Assert.Equal(3, decoder.Malformed);
        Assert.Empty(emitted);

        decoder.Decode(Record(OpCode.FileOpen, "/etc/passwd"), emitted.Add);
        decoder.Decode(Record(OpCode.FilePath, "/etc/shadow", ino: 9), emitted.Add);
        var open = Assert.IsType<FileOpenEvent>(Assert.Single(emitted));
        Assert.Equal(("/etc/passwd", "O_RDONLY", "42", "2049"), (open.Path, open.Tags.Get("flags_str"), open.Tags.Get("ino_id"), open.Tags.Get("dev_id")));
        Assert.Equal("/etc/shadow", paths.Find((8u << 20) | 1, 9));
        Assert.Equal(3, decoder.Malformed);
    }

    private static unsafe byte[] Record(OpCode op, string path, int extra = 0, ulong ino = 42)
    {
        var header = (int)Marshal.OffsetOf<FileRecord>(nameof(FileRecord.Path));
        var p = Encoding.UTF8.GetBytes(path);
        var bytes = new byte[header + p.Length + extra];
        var r = new FileRecord { Op = (byte)op, PathLen = (ushort)p.Length, Ino = ino, Dev = (8u << 20) | 1, Tgid = 7, Pid = 7 };
        new ReadOnlySpan<byte>(&r, header).CopyTo(bytes);
        p.CopyTo(bytes, header);
        return bytes;
    }
}

using System.Runtime.InteropServices;
using System.Text;
using Ingrain.Probes.Exec;
using Xunit;

namespace Ingrain.Probes.Tests;

/// <summary>The decoder on hand-made records: the same bytes the kernel writes, without the kernel.</summary>
public sealed unsafe class ExecDecoderTests
{
    private readonly ExecDecoder _decoder = new(new BootClock());

    [Fact]
    public void Exec_record_becomes_an_ExecEvent_with_ingraind_style_tags()
    {
        var bytes = ExecBytes("/usr/bin/env", "env\0-i\0FOO=1\0"u8, flags: 0);
        var e = Assert.IsType<ExecEvent>(_decoder.Decode(bytes));
        Assert.Equal("process.exec", e.Name);
        Assert.Equal(1, e.Value.Number);
        Assert.Equal(["env", "-i", "FOO=1"], e.Args);
        Assert.False(e.ArgsTruncated);
        Assert.Equal(
            ["process_id", "process_str", "thread_id", "ppid_id", "uid_id", "gid_id", "cgroup_id", "path_str", "args_str"],
            e.Tags.Select(t => t.Key));
        Assert.Equal(("42", "env", "41", "7", "1000", "100", "/usr/bin/env", "env -i FOO=1"),
            (e.Tags.Get("process_id"), e.Tags.Get("process_str"), e.Tags.Get("thread_id"), e.Tags.Get("ppid_id"),
             e.Tags.Get("uid_id"), e.Tags.Get("gid_id"), e.Tags.Get("path_str"), e.Tags.Get("args_str")));
        Assert.Equal(0, _decoder.Malformed);
    }

    [Fact]
    public void More_than_twenty_args_are_cut_and_marked()
    {
        var argv = string.Concat(Enumerable.Range(0, 25).Select(i => $"a{i}\0"));
        var e = Assert.IsType<ExecEvent>(_decoder.Decode(ExecBytes("/bin/x", Encoding.UTF8.GetBytes(argv), flags: 0)));
        Assert.Equal(ExecEvent.MaxArgs, e.Args.Count);
        Assert.True(e.ArgsTruncated);
        Assert.Equal("true", e.Tags.Get("args_truncated"));
    }

    [Fact]
    public void Kernel_side_truncation_flag_is_kept_and_a_last_arg_without_NUL_is_read()
    {
        var e = Assert.IsType<ExecEvent>(_decoder.Decode(ExecBytes("/bin/x", "x\0long-arg-cut-her"u8, flags: ExecRecord.FlagArgsTruncated)));
        Assert.Equal(["x", "long-arg-cut-her"], e.Args);
        Assert.True(e.ArgsTruncated);
    }

    [Fact]
    public void The_args_start_right_after_the_filename_and_an_exec_without_args_is_header_and_path_only()
    {
        var bytes = ExecBytes("/bin/x", [], flags: 0);
        Assert.Equal(64 + "/bin/x".Length, bytes.Length);
        var e = Assert.IsType<ExecEvent>(_decoder.Decode(bytes));
        Assert.Equal(("/bin/x", 0), (e.Path, e.Args.Count));
        Assert.Equal("", e.Tags.Get("args_str"));
    }

    [Fact]
    public void Exit_record_becomes_an_ExitEvent_with_code_signal_and_lifetime()
    {
        var r = new ExitRecord { Op = (byte)OpCode.Exit, ExitCode = 7, Signal = 0, Pid = 42, Tgid = 42, Ppid = 1, BootNs = 5, DurationNs = 12345 };
        Encoding.UTF8.GetBytes("sh", new Span<byte>(r.Comm, 16));
        var e = Assert.IsType<ExitEvent>(_decoder.Decode(new ReadOnlySpan<byte>(&r, sizeof(ExitRecord))));
        Assert.Equal(("process.exit", 7, 0, 12345L), (e.Name, e.ExitCode, e.Signal, e.DurationNs));
        Assert.Equal(("7", "0", "12345", "sh"), (e.Tags.Get("exit_code_id"), e.Tags.Get("signal_id"), e.Tags.Get("duration_ns"), e.Tags.Get("process_str")));
    }

    [Fact]
    public void Malformed_records_are_counted_and_skipped()
    {
        Assert.Null(_decoder.Decode([]));
        Assert.Null(_decoder.Decode([99, 0, 0, 0]));                               // unknown opcode
        Assert.Null(_decoder.Decode([(byte)OpCode.Exec, 0, 0, 0]));                // shorter than the header
        Assert.Null(_decoder.Decode([(byte)OpCode.Exit, 0, 0, 0, 0, 0, 0, 0]));    // shorter than exit_record
        var bytes = ExecBytes("/bin/x", "x\0"u8, flags: 0);
        Assert.Null(_decoder.Decode(bytes.AsSpan(0, bytes.Length - 1)));          // args_len beyond the record
        Assert.Null(_decoder.Decode([.. bytes, 0]));                               // bytes after the args
        Assert.Null(_decoder.Decode(ExecBytes(new string('p', 256), [], flags: 0))); // filename_len of 256: the kernel keeps 255
        Assert.Equal(7, _decoder.Malformed);
    }

    /// <summary>An exec record as the kernel sends it: the header, the filename, the args, and nothing more.</summary>
    private static byte[] ExecBytes(string path, ReadOnlySpan<byte> args, byte flags)
    {
        var filename = Encoding.UTF8.GetBytes(path);
        var r = new ExecRecord
        {
            Op = (byte)OpCode.Exec, Flags = flags, FilenameLen = (ushort)filename.Length, ArgsLen = (uint)args.Length,
            Pid = 41, Tgid = 42, Ppid = 7, Uid = 1000, Gid = 100, CgroupId = 9, BootNs = 1,
        };
        var comm = Path.GetFileName(path);
        Encoding.UTF8.GetBytes(comm.Length > 15 ? comm[..15] : comm, new Span<byte>(r.Comm, 16));
        var headerLength = (int)Marshal.OffsetOf<ExecRecord>(nameof(ExecRecord.Data));
        return [.. new ReadOnlySpan<byte>(&r, headerLength), .. filename, .. args];
    }
}

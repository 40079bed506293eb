using System.Runtime.InteropServices;
using System.Text;
using Ingrain.Probes.Exec;
using Xunit;

namespace Ingrain.Probes.Tests;

/// <summary>
/// Tags of probe events are built on first read, once, and the laziness is invisible: equality, hashing and
/// <c>with</c> behave (the JSON line of a lazily tagged event: MeasurementJsonTests) as if the tags had been there from the start.
/// </summary>
public sealed unsafe class LazyTagsTests
{
    [Fact]
    public void Tags_are_built_on_the_first_read_and_only_once()
    {
        var m = new CountingEvent();
        Assert.Equal(0, m.Builds);
        Assert.Equal("1", m.Tags.Get("k"));
        Assert.Same(m.Tags, m.Tags);
        Assert.Equal(1, m.Builds);
    }

    [Fact]
    public void Concurrent_first_reads_agree_on_one_instance()
    {
        for (var round = 0; round < 200; round++)
        {
            var e = Decode();
            var seen = new Tags[4];
            using var start = new Barrier(seen.Length);
            Parallel.For(0, seen.Length, new ParallelOptions { MaxDegreeOfParallelism = seen.Length }, i =>
            {
                start.SignalAndWait();
                seen[i] = e.Tags;
            });
            Assert.All(seen, t => Assert.Same(seen[0], t));
        }
    }

    [Fact]
    public void An_event_whose_tags_were_read_equals_one_whose_were_not()
    {
        string[] args = ["x", "y"];
        ExecEvent Event(int pid) => new(5, new ProcessIdentity(pid, pid, 1, 0, 0, "x", 9), "/bin/x", args, false);
        var read = Event(42);
        var unread = Event(42);
        _ = read.Tags;
        Assert.Equal(read, unread);
        Assert.Equal(read.GetHashCode(), unread.GetHashCode());
        Assert.NotEqual(read, Event(43));
    }

    [Fact]
    public void A_copy_made_before_the_first_read_has_the_same_tags_and_an_explicit_Tags_wins()
    {
        var e = Decode();
        var later = e with { Timestamp = e.Timestamp + 1 };
        Assert.Equal(e.Tags, later.Tags);
        var edited = e with { Tags = Tags.Of(("only", "this")) };
        Assert.Equal(Tags.Of(("only", "this")), edited.Tags);
        Assert.Equal("/bin/x", e.Tags.Get("path_str"));
    }

    private static ExecEvent Decode()
    {
        var r = new ExecRecord { Op = (byte)OpCode.Exec, FilenameLen = 6, ArgsLen = 4, Pid = 42, Tgid = 42, BootNs = 1 };
        var header = (int)Marshal.OffsetOf<ExecRecord>(nameof(ExecRecord.Data));
        byte[] bytes = [.. new ReadOnlySpan<byte>(&r, header), .. "/bin/x"u8, .. "x\0y\0"u8];
        return Assert.IsType<ExecEvent>(new ExecDecoder(new BootClock()).Decode(bytes));
    }

    private sealed record CountingEvent() : Measurement(0, MeasurementKind.Counter, "c", MeasurementValue.Count(1))
    {
        public int Builds;

        protected override Tags BuildTags()
        {
            Interlocked.Increment(ref Builds);
            return Tags.Of(("k", "1"));
        }
    }
}

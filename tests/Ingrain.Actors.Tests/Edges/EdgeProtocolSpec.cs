using Ingrain.Actors.Edges;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Edges;

/// <summary>
/// The window/ack protocol of one edge (docs/architecture.md, "Edges"), against a <c>TestProbe</c> as the receiver:
/// at most <c>capacity</c> batches in flight, numbered in order; an <see cref="Ack"/> lets the next one go; the drop
/// policies drop and count what does not fit; a <see cref="Drain"/> never overtakes the batches sent before it.
/// </summary>
public sealed class EdgeProtocolSpec(ITestOutputHelper output) : AkkaSpec(output)
{
    private static MeasurementBatch Batch(string name) => new([new Measurement(1, MeasurementKind.Counter, name, MeasurementValue.Count(1), Tags.Of())]);

    private (Outbox Outbox, Akka.TestKit.TestProbe Receiver, EdgeCounters Counters) Edge(int capacity, EdgeOverflow overflow)
    {
        var receiver = CreateTestProbe();
        var counters = new EdgeCounters();
        return (new Outbox(new Edge(receiver.Ref, new MailboxSpec(capacity, overflow), counters), TestActor), receiver, counters);
    }

    private static string NameOf(Deliver d) => d.Batch.Items[0].Name;

    [Fact]
    public void Backpressure_keeps_at_most_the_window_in_flight_and_an_ack_releases_the_next()
    {
        var (outbox, receiver, counters) = Edge(2, EdgeOverflow.Backpressure);
        outbox.Send(Batch("a"));
        outbox.Send(Batch("b"));
        Assert.False(outbox.HasRoom);
        Assert.False(outbox.AcceptsMore); // the owner stops taking work: the slowness travels upstream
        outbox.Send(Batch("c")); // an owner that sends anyway: it waits, it is not dropped

        Assert.Equal(("a", 1L), receiver.ExpectMsg<Deliver>() is var a ? (NameOf(a), a.Seq) : default);
        Assert.Equal(("b", 2L), receiver.ExpectMsg<Deliver>() is var b ? (NameOf(b), b.Seq) : default);
        receiver.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(3, counters.QueuedBatches);

        Assert.False(outbox.OnAck(99)); // not one of this edge's numbers
        Assert.True(outbox.OnAck(1));
        Assert.Equal(("c", 3L), receiver.ExpectMsg<Deliver>() is var c ? (NameOf(c), c.Seq) : default);
        Assert.True(outbox.OnAck(2));
        Assert.True(outbox.OnAck(3));
        Assert.True(outbox.IsEmpty);
        Assert.Equal((0L, 0L), (counters.QueuedBatches, counters.DroppedBatches));
    }

    [Fact]
    public void Drop_incoming_keeps_a_window_waiting_and_drops_and_counts_what_comes_after()
    {
        var (outbox, receiver, counters) = Edge(1, EdgeOverflow.DropIncoming);
        foreach (var name in new[] { "a", "b", "c" }) outbox.Send(Batch(name));
        Assert.True(outbox.AcceptsMore);
        Assert.Equal("a", NameOf(receiver.ExpectMsg<Deliver>()));
        Assert.Equal(1, counters.DroppedBatches); // c: a in flight, b waiting, no room for more
        outbox.OnAck(1);
        Assert.Equal("b", NameOf(receiver.ExpectMsg<Deliver>()));
        receiver.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Drop_oldest_drops_the_oldest_waiting_batch_for_the_newest()
    {
        var (outbox, receiver, counters) = Edge(1, EdgeOverflow.DropOldest);
        foreach (var name in new[] { "a", "b", "c" }) outbox.Send(Batch(name));
        Assert.Equal("a", NameOf(receiver.ExpectMsg<Deliver>()));
        Assert.Equal(1, counters.DroppedBatches); // b
        outbox.OnAck(1);
        Assert.Equal("c", NameOf(receiver.ExpectMsg<Deliver>()));
    }

    [Fact]
    public void A_drain_waits_behind_every_batch_sent_before_it()
    {
        var (outbox, receiver, _) = Edge(1, EdgeOverflow.Backpressure);
        outbox.Send(Batch("a"));
        outbox.Send(Batch("b"));
        outbox.SendControl(new Drain(TestActor, "p"));
        Assert.Equal("a", NameOf(receiver.ExpectMsg<Deliver>()));
        receiver.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // neither b nor the drain overtakes the window
        outbox.OnAck(1);
        Assert.Equal("b", NameOf(receiver.ExpectMsg<Deliver>()));
        Assert.Equal("p", receiver.ExpectMsg<Drain>().Pipeline); // a control message takes no window
        Assert.Equal(TestActor, receiver.LastSender);
    }

    [Fact]
    public void Abandoning_forgets_and_uncounts_what_was_queued()
    {
        var (outbox, receiver, counters) = Edge(1, EdgeOverflow.Backpressure);
        outbox.Send(Batch("a"));
        outbox.Send(Batch("b"));
        receiver.ExpectMsg<Deliver>();
        Assert.Equal(2, outbox.Abandon());
        Assert.True(outbox.IsEmpty);
        Assert.Equal(0, counters.QueuedBatches);
    }
}

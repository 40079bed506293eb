using Ingrain.Actors.Dispatch;
using Ingrain.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Runtime;

public sealed class MailboxSpec(ITestOutputHelper output) : ActorTestKit(output)
{
    private sealed record Item(int N);

    private sealed record Tagged(int Sender, int Seq);

    /// <summary>Holds its mailbox on the first message until the gate opens, then reports every message it gets.</summary>
    private sealed class Gated : ReceiveActor
    {
        public Gated(Task gate, IActorRef report)
        {
            ReceiveAsync<string>(s => s == "hold", async _ =>
            {
                report.Tell("holding", Self);
                await gate;
            });
            ReceiveAny(m => report.Tell(m, Self));
        }
    }

    private async Task<(IActorRef Actor, TaskCompletionSource Gate)> HeldActor(MailboxOptions mailbox)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = ActorOf(Props.Create(() => new Gated(gate.Task, TestActor)).WithMailbox(mailbox));
        actor.Tell("hold", TestActor);
        await ExpectMsgAsync("holding");
        return (actor, gate);
    }

    [Fact]
    public async Task DropIncoming_discards_arrivals_when_full_and_counts_them()
    {
        var (actor, gate) = await HeldActor(MailboxOptions.Bounded(3, OverflowPolicy.DropIncoming));
        for (var i = 1; i <= 10; i++) actor.Tell(new Item(i), TestActor);
        var stats = actor.GetMailboxStats();
        Assert.Equal(7, stats.DroppedIncoming);
        Assert.Equal(0, stats.DroppedOldest);
        Assert.Equal(3, stats.Count);
        gate.SetResult();
        Assert.Equal([new Item(1), new Item(2), new Item(3)], await ReceiveNAsync(3));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task DropOldest_evicts_queued_messages_to_make_room_and_counts_them()
    {
        var (actor, gate) = await HeldActor(MailboxOptions.Bounded(3, OverflowPolicy.DropOldest));
        for (var i = 1; i <= 10; i++) actor.Tell(new Item(i), TestActor);
        var stats = actor.GetMailboxStats();
        Assert.Equal(7, stats.DroppedOldest);
        Assert.Equal(0, stats.DroppedIncoming);
        gate.SetResult();
        Assert.Equal([new Item(8), new Item(9), new Item(10)], await ReceiveNAsync(3));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Backpressure_makes_TellAsync_wait_for_space_and_loses_nothing()
    {
        var (actor, gate) = await HeldActor(MailboxOptions.Bounded(2, OverflowPolicy.Backpressure));
        await actor.TellAsync(new Item(1), TestActor);
        await actor.TellAsync(new Item(2), TestActor);
        var third = actor.TellAsync(new Item(3), TestActor).AsTask();
        await Task.Delay(100);
        Assert.False(third.IsCompleted); // full: the producer waits
        gate.SetResult();
        await third;
        Assert.Equal([new Item(1), new Item(2), new Item(3)], await ReceiveNAsync(3));
        Assert.Equal(0, actor.GetMailboxStats().Dropped);
    }

    [Fact]
    public async Task Backpressure_blocks_a_synchronous_Tell_until_there_is_space()
    {
        var (actor, gate) = await HeldActor(MailboxOptions.Bounded(1, OverflowPolicy.Backpressure));
        actor.Tell(new Item(1), TestActor);
        var blocked = Task.Run(() => actor.Tell(new Item(2), TestActor));
        await Task.Delay(100);
        Assert.False(blocked.IsCompleted);
        gate.SetResult();
        await blocked;
        Assert.Equal([new Item(1), new Item(2)], await ReceiveNAsync(2));
    }

    [Fact]
    public async Task A_producer_waiting_on_a_full_mailbox_is_released_when_the_actor_stops_and_its_message_is_a_dead_letter()
    {
        var (actor, gate) = await HeldActor(MailboxOptions.Bounded(1, OverflowPolicy.Backpressure));
        actor.Tell(new Item(1), TestActor);
        var waiting = actor.TellAsync(new Item(2), TestActor).AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        Watch(actor);
        await EventFilter.DeadLetter<Item>().ExpectAsync(2, async () =>
        {
            Sys.Stop(actor);   // runs as soon as the held handler completes, before the queued Item(1)
            gate.SetResult();
            await waiting;     // released by the closing mailbox
        });
        await ExpectTerminatedAsync(actor);
    }

    [Fact]
    public void Bounded_mailboxes_need_a_positive_capacity() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MailboxOptions.Bounded(0, OverflowPolicy.DropOldest));

    /// <summary>Checks that no two handlers ever overlap and that each sender's messages arrive in send order.</summary>
    private sealed class OrderChecker : ReceiveActor
    {
        private readonly Dictionary<int, int> _lastSeq = [];
        private int _inside, _overlaps, _outOfOrder, _received;

        public OrderChecker(int expected, IActorRef report)
        {
            Receive<Tagged>(t =>
            {
                if (Interlocked.Increment(ref _inside) != 1) _overlaps++;
                if (_lastSeq.TryGetValue(t.Sender, out var last) && t.Seq != last + 1) _outOfOrder++;
                _lastSeq[t.Sender] = t.Seq;
                Thread.SpinWait(50);
                Interlocked.Decrement(ref _inside);
                if (++_received == expected) report.Tell((_overlaps, _outOfOrder), Self);
            });
        }
    }

    [Fact]
    public async Task One_message_at_a_time_and_per_sender_order_under_concurrent_senders()
    {
        const int senders = 8, perSender = 5_000;
        var actor = ActorOf(Props.Create(() => new OrderChecker(senders * perSender, TestActor)).WithThroughput(7));
        await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(() =>
        {
            for (var i = 0; i < perSender; i++) actor.Tell(new Tagged(s, i), null);
        })));
        await ExpectMsgAsync((0, 0), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_turn_handles_at_most_throughput_messages_then_yields_the_thread()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = ActorOf(Props.Create(() => new Gated(gate.Task, TestActor)).WithThroughput(10));
        actor.Tell("hold", TestActor);
        await ExpectMsgAsync("holding");
        for (var i = 1; i <= 100; i++) actor.Tell(new Item(i), TestActor);
        var mailbox = ((LocalActorRef)actor).Cell.Mailbox;
        var turnsBefore = mailbox.Turns;
        gate.SetResult();
        await ReceiveNAsync(100);
        Assert.True(mailbox.Turns - turnsBefore >= 9, $"100 messages at throughput 10 took {mailbox.Turns - turnsBefore} new turns");
    }

    [Fact]
    public async Task A_stop_overtakes_queued_user_messages_which_become_dead_letters()
    {
        var (actor, gate) = await HeldActor(MailboxOptions.Unbounded);
        for (var i = 1; i <= 3; i++) actor.Tell(new Item(i), TestActor);
        Watch(actor);
        await EventFilter.DeadLetter<Item>().ExpectAsync(3, () =>
        {
            Sys.Stop(actor); // a system message: runs before the queued user messages
            gate.SetResult();
            return Task.CompletedTask;
        });
        await ExpectTerminatedAsync(actor);
    }

    [Fact]
    public async Task A_PoisonPill_is_a_user_message_so_the_messages_queued_before_it_are_processed()
    {
        var (actor, gate) = await HeldActor(MailboxOptions.Unbounded);
        for (var i = 1; i <= 3; i++) actor.Tell(new Item(i), TestActor);
        actor.Tell(PoisonPill.Instance, TestActor);
        actor.Tell(new Item(4), TestActor);
        Watch(actor);
        gate.SetResult();
        Assert.Equal([new Item(1), new Item(2), new Item(3)], await ReceiveNAsync(3));
        await ExpectTerminatedAsync(actor);
    }
}

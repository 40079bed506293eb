using Ingrain.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Runtime;

/// <summary>Per-actor timers and the system scheduler, on virtual time.</summary>
public sealed class TimersSpec(ITestOutputHelper output) : ActorTestKit(output, virtualTime: true)
{
    private sealed record Tick(string Key);

    private sealed record StartSingle(string Key, TimeSpan Delay);

    private sealed record StartPeriodic(string Key, TimeSpan Interval);

    private sealed record CancelTimer(string Key);

    private sealed class TimerActor : ReceiveActor
    {
        public TimerActor(IActorRef report)
        {
            Receive<StartSingle>(s =>
            {
                Timers.StartSingleTimer(s.Key, new Tick(s.Key), s.Delay);
                Sender.Tell("started", Self);
            });
            Receive<StartPeriodic>(s =>
            {
                Timers.StartPeriodicTimer(s.Key, new Tick(s.Key), s.Interval);
                Sender.Tell("started", Self);
            });
            Receive<CancelTimer>(c =>
            {
                Timers.Cancel(c.Key);
                Sender.Tell(Timers.IsTimerActive(c.Key) ? "still active" : "cancelled", Self);
            });
            Receive<string>(s => s == "boom", _ => throw new InvalidOperationException("restart me"));
            Receive<string>(s => s == "ping", _ => Sender.Tell("pong", Self));
            Receive<Tick>(t => report.Tell(t, Self));
        }
    }

    private IActorRef NewTimerActor() => ActorOf(Props.Create(() => new TimerActor(TestActor)));

    private static Task Ask(IActorRef actor, object message) => actor.Ask<string>(message, TimeSpan.FromSeconds(3));

    [Fact]
    public async Task A_single_timer_fires_once_when_its_delay_has_passed()
    {
        var actor = NewTimerActor();
        await Ask(actor, new StartSingle("once", TimeSpan.FromSeconds(5)));
        VirtualTime.Advance(TimeSpan.FromSeconds(4));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
        VirtualTime.Advance(TimeSpan.FromSeconds(1));
        await ExpectMsgAsync(new Tick("once"));
        VirtualTime.Advance(TimeSpan.FromSeconds(60));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task A_periodic_timer_fires_every_interval_until_cancelled()
    {
        var actor = NewTimerActor();
        await Ask(actor, new StartPeriodic("flush", TimeSpan.FromSeconds(10)));
        VirtualTime.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal([new Tick("flush"), new Tick("flush"), new Tick("flush")], await ReceiveNAsync(3));
        Assert.Equal("cancelled", await actor.Ask<string>(new CancelTimer("flush"), TimeSpan.FromSeconds(3)));
        VirtualTime.Advance(TimeSpan.FromSeconds(30));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task Timers_are_cancelled_on_restart()
    {
        var actor = NewTimerActor();
        await Ask(actor, new StartPeriodic("flush", TimeSpan.FromSeconds(10)));
        actor.Tell("boom", TestActor);
        actor.Tell("ping", TestActor);
        await ExpectMsgAsync("pong"); // restarted and running
        VirtualTime.Advance(TimeSpan.FromSeconds(60));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        await AwaitConditionAsync(() => VirtualTime.PendingTimers == 0); // Ask timeout timers are disposed asynchronously
    }

    [Fact]
    public async Task Timers_are_cancelled_on_stop()
    {
        var actor = NewTimerActor();
        await Ask(actor, new StartPeriodic("flush", TimeSpan.FromSeconds(10)));
        await Ask(actor, new StartSingle("once", TimeSpan.FromSeconds(10)));
        Watch(actor);
        Sys.Stop(actor);
        await ExpectTerminatedAsync(actor);
        await AwaitConditionAsync(() => VirtualTime.PendingTimers == 0); // Ask timeout timers are disposed asynchronously
    }

    [Fact]
    public async Task Restarting_a_timer_with_the_same_key_replaces_it()
    {
        var actor = NewTimerActor();
        await Ask(actor, new StartSingle("k", TimeSpan.FromSeconds(5)));
        await Ask(actor, new StartSingle("k", TimeSpan.FromSeconds(20)));
        VirtualTime.Advance(TimeSpan.FromSeconds(10));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
        VirtualTime.Advance(TimeSpan.FromSeconds(10));
        await ExpectMsgAsync(new Tick("k"));
    }

    [Fact]
    public async Task ScheduleTellOnce_delivers_after_the_delay_with_the_given_sender()
    {
        var probe = CreateTestProbe();
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(3), TestActor, "later", probe.Ref);
        VirtualTime.Advance(TimeSpan.FromSeconds(2));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
        VirtualTime.Advance(TimeSpan.FromSeconds(1));
        await ExpectMsgAsync("later");
        Assert.Same(probe.Ref, LastSender);
    }

    [Fact]
    public async Task ScheduleTellRepeatedly_delivers_until_cancelled()
    {
        var cancelable = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TestActor, "tick", null);
        VirtualTime.Advance(TimeSpan.FromSeconds(5)); // at 1, 3 and 5 s
        Assert.Equal(["tick", "tick", "tick"], await ReceiveNAsync(3));
        cancelable.Cancel();
        Assert.True(cancelable.IsCancellationRequested);
        VirtualTime.Advance(TimeSpan.FromSeconds(10));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task Ask_timeouts_run_on_the_system_clock()
    {
        var silent = ActorOf(Props.Create(() => new TimerActor(TestActor)));
        var ask = silent.Ask<string>(new Tick("unanswered"), TimeSpan.FromSeconds(30));
        await Task.Delay(50);
        Assert.False(ask.IsCompleted); // real time passes, virtual time does not
        VirtualTime.Advance(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<AskTimeoutException>(() => ask);
    }
}

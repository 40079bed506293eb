using Ingrain.Actors.Supervision;
using Ingrain.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Runtime;

public sealed class DeathWatchSpec(ITestOutputHelper output) : ActorTestKit(output)
{
    private sealed record WatchThis(IActorRef Target, object? Custom = null);

    private sealed record UnwatchThis(IActorRef Target);

    private sealed class Victim : ReceiveActor
    {
        public Victim()
        {
            Receive<string>(s => s == "boom", _ => throw new InvalidOperationException("boom"));
            ReceiveAny(m => Sender.Tell(m, Self));
        }
    }

    /// <summary>Watches on request and reports Terminated (or the custom message) to the test actor.</summary>
    private sealed class Watcher : ReceiveActor
    {
        public Watcher(IActorRef report)
        {
            Receive<WatchThis>(w =>
            {
                if (w.Custom is null) Context.Watch(w.Target);
                else Context.WatchWith(w.Target, w.Custom);
                Sender.Tell("watching", Self);
            });
            Receive<UnwatchThis>(u =>
            {
                Context.Unwatch(u.Target);
                Sender.Tell("unwatched", Self);
            });
            Receive<Terminated>(t => report.Tell(t, Self));
            ReceiveAny(m => report.Tell(m, Self));
        }
    }

    /// <summary>Watches without handling Terminated: must die of a DeathPactException.</summary>
    private sealed class CarelessWatcher : ActorBase
    {
        protected override bool Receive(object message)
        {
            if (message is not WatchThis w) return false;
            Context.Watch(w.Target);
            Sender.Tell("watching", Self);
            return true;
        }
    }

    private IActorRef NewVictim(string? name = null) => ActorOf(Props.Create(() => new Victim()), name);

    [Fact]
    public async Task Terminated_is_delivered_when_a_watched_actor_stops()
    {
        var victim = NewVictim();
        Watch(victim);
        victim.Tell(PoisonPill.Instance, TestActor);
        Assert.Same(victim, (await ExpectTerminatedAsync(victim)).ActorRef);
    }

    [Fact]
    public async Task Terminated_is_delivered_when_a_watched_actor_is_stopped_after_a_failure_but_not_when_restarted()
    {
        var parent = ActorOf(Props.Create(() => new StrategyParent(new OneForOneStrategy(ex =>
            ex is ActorKilledException ? Directive.Stop : Directive.Restart))));
        var victim = await parent.Ask<IActorRef>(Props.Create(() => new Victim()), TimeSpan.FromSeconds(3));
        Watch(victim);
        victim.Tell("boom", TestActor);      // restarted: invisible from outside
        victim.Tell("still here", TestActor);
        await ExpectMsgAsync("still here");
        victim.Tell(Kill.Instance, TestActor); // stopped by the decider
        await ExpectTerminatedAsync(victim);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    private sealed class StrategyParent : ReceiveActor
    {
        private readonly SupervisorStrategy _strategy;

        public StrategyParent(SupervisorStrategy strategy)
        {
            _strategy = strategy;
            Receive<Props>(p => Sender.Tell(Context.ActorOf(p), Self));
        }

        protected override SupervisorStrategy SupervisorStrategy() => _strategy;
    }

    [Fact]
    public async Task Watching_an_actor_that_is_already_dead_still_delivers_Terminated()
    {
        var victim = NewVictim();
        var probe = CreateTestProbe();
        probe.Watch(victim);
        Sys.Stop(victim);
        await probe.ExpectTerminatedAsync(victim);

        Watch(victim); // after its death
        await ExpectTerminatedAsync(victim);
    }

    [Fact]
    public async Task WatchWith_delivers_the_custom_message()
    {
        var victim = NewVictim();
        var watcher = ActorOf(Props.Create(() => new Watcher(TestActor)));
        await watcher.Ask<string>(new WatchThis(victim, "victim is gone"), TimeSpan.FromSeconds(3));
        Sys.Stop(victim);
        await ExpectMsgAsync("victim is gone");
    }

    [Fact]
    public async Task Unwatch_means_no_Terminated()
    {
        var victim = NewVictim();
        var watcher = ActorOf(Props.Create(() => new Watcher(TestActor)));
        await watcher.Ask<string>(new WatchThis(victim), TimeSpan.FromSeconds(3));
        await watcher.Ask<string>(new UnwatchThis(victim), TimeSpan.FromSeconds(3));
        Sys.Stop(victim);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    /// <summary>A watcher that can be held (its mailbox busy) while things happen around it.</summary>
    private sealed class HeldWatcher : ReceiveActor
    {
        public HeldWatcher(Task gate, IActorRef report)
        {
            Receive<WatchThis>(w =>
            {
                Context.Watch(w.Target);
                Sender.Tell("watching", Self);
            });
            ReceiveAsync<string>(s => s == "hold", async _ =>
            {
                report.Tell("holding", Self);
                await gate;
            });
            Receive<UnwatchThis>(u =>
            {
                Context.Unwatch(u.Target);
                report.Tell("unwatched", Self);
            });
            Receive<Terminated>(t => report.Tell(t, Self));
        }
    }

    [Fact]
    public async Task An_Unwatch_handled_after_the_Terminated_was_queued_discards_it()
    {
        var victim = NewVictim();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watcher = ActorOf(Props.Create(() => new HeldWatcher(gate.Task, TestActor)));
        await watcher.Ask<string>(new WatchThis(victim), TimeSpan.FromSeconds(3));
        watcher.Tell("hold", TestActor);
        await ExpectMsgAsync("holding");
        watcher.Tell(new UnwatchThis(victim), TestActor); // queued before the Terminated will be
        var probe = CreateTestProbe();
        probe.Watch(victim);
        Sys.Stop(victim);
        await probe.ExpectTerminatedAsync(victim);          // the watcher's notification is now waiting for it
        gate.SetResult();
        await ExpectMsgAsync("unwatched");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task An_unhandled_Terminated_throws_DeathPactException_and_the_default_decider_stops_the_watcher()
    {
        var victim = NewVictim();
        var watcher = ActorOf(Props.Create(() => new CarelessWatcher()));
        Watch(watcher);
        await watcher.Ask<string>(new WatchThis(victim), TimeSpan.FromSeconds(3));
        await EventFilter.Exception<DeathPactException>().ExpectOneAsync(() =>
        {
            Sys.Stop(victim);
            return Task.CompletedTask;
        });
        await ExpectTerminatedAsync(watcher);
    }

    [Fact]
    public async Task A_parent_stops_after_all_its_children_and_watchers_hear_of_the_children_first()
    {
        var parent = ActorOf(Props.Create(() => new StrategyParent(SupervisorStrategy.DefaultStrategy)));
        var child = await parent.Ask<IActorRef>(Props.Create(() => new Victim()), TimeSpan.FromSeconds(3));
        Watch(child);
        Watch(parent);
        Sys.Stop(parent);
        await ExpectTerminatedAsync(child);
        await ExpectTerminatedAsync(parent);
    }
}

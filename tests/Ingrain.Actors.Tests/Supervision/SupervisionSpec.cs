using Ingrain.Actors.Supervision;
using Ingrain.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Supervision;

public sealed class SupervisionSpec(ITestOutputHelper output) : ActorTestKit(output, virtualTime: true)
{
    private sealed class BoomException(string message) : Exception(message);

    private sealed record Fail(Exception Cause);

    private sealed record Created(string Name, int Incarnation);

    private sealed record Stopped(string Name);

    private sealed record Counter(int Value);

    /// <summary>Reports creation and stop; throws what it is told to; counts "inc" messages (state lost on restart).</summary>
    private sealed class Worker : ReceiveActor
    {
        private static int s_incarnations;
        private readonly IActorRef _report;
        private readonly string _name;
        private int _count;

        public Worker(IActorRef report, string name, bool failInPreStart = false)
        {
            _report = report;
            _name = name;
            FailInPreStart = failInPreStart;
            Receive<Fail>(f => throw f.Cause);
            Receive<string>(s => s == "inc", _ => _count++);
            Receive<string>(s => s == "count", _ => Sender.Tell(new Counter(_count), Self));
            Receive<Props>(p => Sender.Tell(Context.ActorOf(p, "grandchild"), Self));
        }

        private bool FailInPreStart { get; }

        protected override void PreStart()
        {
            _report.Tell(new Created(_name, Interlocked.Increment(ref s_incarnations)), Self);
            if (FailInPreStart) throw new BoomException("cannot attach");
        }

        protected override void PostStop() => _report.Tell(new Stopped(_name), Self);
    }

    /// <summary>Creates children on request and supervises them with the given strategy.</summary>
    private sealed class Parent : ReceiveActor
    {
        private readonly SupervisorStrategy _strategy;

        public Parent(SupervisorStrategy strategy, IActorRef report)
        {
            _strategy = strategy;
            Receive<(Props Props, string Name)>(c => Sender.Tell(Context.ActorOf(c.Props, c.Name), Self));
            Receive<Fail>(f => throw f.Cause);
        }

        protected override void PostStop() => Context.System.EventStream.Publish(new Stopped(Self.Path.Name));

        protected override SupervisorStrategy SupervisorStrategy() => _strategy;
    }

    private async Task<(IActorRef Parent, IActorRef Child)> ParentWithChild(SupervisorStrategy strategy, string child = "worker")
    {
        var parent = ActorOf(Props.Create(() => new Parent(strategy, TestActor)));
        var childRef = await parent.Ask<IActorRef>((Props.Create(() => new Worker(TestActor, child, false)), child), TimeSpan.FromSeconds(3));
        await ExpectMsgAsync<Created>(c => c.Name == child);
        return (parent, childRef);
    }

    [Fact]
    public async Task Resume_keeps_the_instance_and_its_state_and_drops_the_failing_message()
    {
        var (_, child) = await ParentWithChild(new OneForOneStrategy(_ => Directive.Resume));
        child.Tell("inc", TestActor);
        child.Tell(new Fail(new BoomException("resume me")), TestActor);
        child.Tell("inc", TestActor);
        child.Tell("count", TestActor);
        await ExpectMsgAsync(new Counter(2));
    }

    [Fact]
    public async Task Restart_makes_a_new_instance_and_keeps_the_queued_messages()
    {
        var (_, child) = await ParentWithChild(new OneForOneStrategy(_ => Directive.Restart));
        child.Tell("inc", TestActor);
        child.Tell(new Fail(new BoomException("restart me")), TestActor);
        child.Tell("inc", TestActor); // queued behind the failure: processed by the new instance
        child.Tell("count", TestActor);
        await ExpectMsgAsync(new Stopped("worker")); // PostStop via the default PreRestart
        await ExpectMsgAsync<Created>(c => c.Name == "worker");
        await ExpectMsgAsync(new Counter(1));
    }

    [Fact]
    public async Task Stop_terminates_the_child()
    {
        var (_, child) = await ParentWithChild(new OneForOneStrategy(_ => Directive.Stop));
        Watch(child);
        child.Tell(new Fail(new BoomException("stop me")), TestActor);
        await ExpectMsgAsync(new Stopped("worker"));
        await ExpectTerminatedAsync(child);
    }

    [Fact]
    public async Task Escalate_fails_the_parent_whose_supervisor_restarts_it_which_stops_the_child()
    {
        // The /user guardian restarts the parent (default strategy); the parent's default PreRestart stops its child.
        var (parent, child) = await ParentWithChild(new OneForOneStrategy(_ => Directive.Escalate));
        Watch(child);
        await EventFilter.Exception<BoomException>(source: parent.Path.ToString()).ExpectOneAsync(() =>
        {
            child.Tell(new Fail(new BoomException("escalate me")), TestActor);
            return Task.CompletedTask;
        });
        await ExpectMsgAsync(new Stopped("worker"));
        await ExpectTerminatedAsync(child);
        Assert.Null(await AwaitChildAsync(parent, "worker", expectPresent: false));
    }

    [Fact]
    public async Task An_escalated_failure_that_the_grandparent_resumes_resumes_the_child_that_failed_with_its_state()
    {
        var grandparent = ActorOf(Props.Create(() => new Parent(new OneForOneStrategy(_ => Directive.Resume), TestActor)));
        var parent = await grandparent.Ask<IActorRef>(
            (Props.Create(() => new Parent(new OneForOneStrategy(_ => Directive.Escalate), TestActor)), "parent"), TimeSpan.FromSeconds(3));
        var child = await parent.Ask<IActorRef>((Props.Create(() => new Worker(TestActor, "worker", false)), "worker"), TimeSpan.FromSeconds(3));
        await ExpectMsgAsync<Created>(c => c.Name == "worker");
        child.Tell("inc", TestActor);
        child.Tell(new Fail(new BoomException("escalate, then resume")), TestActor);
        child.Tell("inc", TestActor);
        child.Tell("count", TestActor);
        await ExpectMsgAsync(new Counter(2));
        var sibling = await parent.Ask<IActorRef>((Props.Create(() => new Worker(TestActor, "sibling", false)), "sibling"), TimeSpan.FromSeconds(3));
        await ExpectMsgAsync<Created>(c => c.Name == "sibling"); // the parent was resumed too
        Assert.NotNull(sibling);
    }

    private async Task<IActorRef?> AwaitChildAsync(IActorRef parent, string name, bool expectPresent)
    {
        IActorRef? found = null;
        await AwaitConditionAsync(() =>
        {
            found = ((LocalActorRef)parent).Cell.Child(name);
            return (found is not null) == expectPresent;
        });
        return found;
    }

    [Fact]
    public async Task AllForOne_restarts_every_sibling_when_one_fails()
    {
        var parent = ActorOf(Props.Create(() => new Parent(new AllForOneStrategy(_ => Directive.Restart), TestActor)));
        var a = await parent.Ask<IActorRef>((Props.Create(() => new Worker(TestActor, "a", false)), "a"), TimeSpan.FromSeconds(3));
        var b = await parent.Ask<IActorRef>((Props.Create(() => new Worker(TestActor, "b", false)), "b"), TimeSpan.FromSeconds(3));
        Assert.Equal(["a", "b"], (await ReceiveNAsync(2)).Cast<Created>().Select(c => c.Name).Order());
        b.Tell("inc", TestActor);
        a.Tell(new Fail(new BoomException("all for one")), TestActor);
        var events = await ReceiveNAsync(4);
        Assert.Equal(2, events.OfType<Stopped>().Count());
        Assert.Equal(["a", "b"], events.OfType<Created>().Select(c => c.Name).Order());
        b.Tell("count", TestActor);
        await ExpectMsgAsync(new Counter(0)); // b's state was lost: it was restarted too
    }

    [Fact]
    public async Task An_exception_in_PreStart_is_an_initialization_failure_and_the_default_decider_stops_the_actor()
    {
        var parent = ActorOf(Props.Create(() => new Parent(SupervisorStrategy.DefaultStrategy, TestActor)));
        await EventFilter.Exception<ActorInitializationException>().ExpectOneAsync(async () =>
        {
            var child = await parent.Ask<IActorRef>((Props.Create(() => new Worker(TestActor, "bad", true)), "bad"), TimeSpan.FromSeconds(3));
            Watch(child);
            await ExpectMsgAsync<Created>(c => c.Name == "bad");
            await ExpectMsgAsync(new Stopped("bad"));
            await ExpectTerminatedAsync(child);
        });
    }

    [Fact]
    public async Task Restarts_beyond_maxNrOfRetries_within_the_window_stop_the_child_but_an_elapsed_window_starts_over()
    {
        var (_, child) = await ParentWithChild(new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart));
        Watch(child);
        async Task FailAndExpectRestart()
        {
            child.Tell(new Fail(new BoomException("again")), TestActor);
            await ExpectMsgAsync(new Stopped("worker"));
            await ExpectMsgAsync<Created>(c => c.Name == "worker");
        }

        await FailAndExpectRestart();
        await FailAndExpectRestart();
        VirtualTime.Advance(TimeSpan.FromSeconds(61)); // the window opened at the first restart has elapsed
        await FailAndExpectRestart();
        await FailAndExpectRestart();
        child.Tell(new Fail(new BoomException("one too many")), TestActor); // third inside the new window
        await ExpectMsgAsync(new Stopped("worker"));
        await ExpectTerminatedAsync(child);
    }

    [Fact]
    public async Task Kill_stops_the_actor_under_the_default_decider()
    {
        var (_, child) = await ParentWithChild(SupervisorStrategy.DefaultStrategy);
        Watch(child);
        await EventFilter.Exception<ActorKilledException>().ExpectOneAsync(() =>
        {
            child.Tell(Kill.Instance, TestActor);
            return Task.CompletedTask;
        });
        await ExpectMsgAsync(new Stopped("worker"));
        await ExpectTerminatedAsync(child);
    }

    [Fact]
    public void The_decider_takes_the_first_matching_mapping_in_declaration_order()
    {
        var decider = Decider.From(Directive.Restart,
            Directive.Stop.When<ArgumentNullException>(),
            Directive.Escalate.When<ArgumentException>());
        Assert.Equal(Directive.Stop, decider.Decide(new ArgumentNullException("x")));
        Assert.Equal(Directive.Escalate, decider.Decide(new ArgumentOutOfRangeException("x")));
        Assert.Equal(Directive.Restart, decider.Decide(new BoomException("other")));
    }
}

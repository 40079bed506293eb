using System.Runtime.CompilerServices;
using Ingrain.Actors.Supervision;
using Ingrain.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Runtime;

/// <summary>Port of the behaviour of Akka's ActorLifeCycleSpec: hook order across restarts, and the stop after the
/// retries run out.</summary>
public sealed class ActorLifeCycleSpec(ITestOutputHelper output) : ActorTestKit(output)
{
    private sealed record Hook(string Name, string Id, int Generation);

    /// <summary>Reports each hook to the test actor with the incarnation number (one new instance per restart).</summary>
    private sealed class LifeCycleTestActor : ActorBase
    {
        private readonly IActorRef _testActor;
        private readonly string _id;
        private readonly int _generation;

        public LifeCycleTestActor(IActorRef testActor, string id, StrongBox<int> generations)
        {
            _testActor = testActor;
            _id = id;
            _generation = generations.Value++;
            Report("ctor");
        }

        private void Report(string hook) => _testActor.Tell(new Hook(hook, _id, _generation), Self);

        protected override bool Receive(object message)
        {
            if (message is "status") Sender.Tell(new Hook("OK", _id, _generation), Self);
            else if (message is "boom") throw new InvalidOperationException("boom");
            else return false;
            return true;
        }

        protected override void PreStart() => Report("preStart");

        protected override void PostStop() => Report("postStop");

        protected override void PreRestart(Exception reason, object? message)
        {
            Report("preRestart");
            base.PreRestart(reason, message);
        }

        protected override void PostRestart(Exception reason)
        {
            Report("postRestart");
            base.PostRestart(reason);
        }
    }

    private IActorRef SupervisorWith(SupervisorStrategy strategy) => ActorOf(Props.Create(() => new ForwardingSupervisor(strategy)));

    /// <summary>Creates the actor under test as its child, so the given strategy supervises it.</summary>
    private sealed class ForwardingSupervisor : ReceiveActor
    {
        private readonly SupervisorStrategy _strategy;

        public ForwardingSupervisor(SupervisorStrategy strategy)
        {
            _strategy = strategy;
            Receive<Props>(props => Sender.Tell(Context.ActorOf(props), Self));
        }

        protected override SupervisorStrategy SupervisorStrategy() => _strategy;
    }

    [Fact]
    public async Task Actor_must_invoke_preRestart_preStart_postRestart_when_using_OneForOneStrategy_and_stop_on_the_fourth_failure()
    {
        var supervisor = SupervisorWith(new OneForOneStrategy(3, TimeSpan.FromSeconds(1000), _ => Directive.Restart));
        var id = Guid.NewGuid().ToString("N");
        var generations = new StrongBox<int>(0);
        var actor = await supervisor.Ask<IActorRef>(
            Props.Create(() => new LifeCycleTestActor(TestActor, id, generations)), TimeSpan.FromSeconds(3));
        Watch(actor);

        await ExpectMsgAsync(new Hook("ctor", id, 0));
        await ExpectMsgAsync(new Hook("preStart", id, 0));
        for (var gen = 0; gen < 3; gen++)
        {
            actor.Tell("boom", TestActor);
            await ExpectMsgAsync(new Hook("preRestart", id, gen));
            await ExpectMsgAsync(new Hook("postStop", id, gen)); // default PreRestart calls PostStop
            await ExpectMsgAsync(new Hook("ctor", id, gen + 1));
            await ExpectMsgAsync(new Hook("postRestart", id, gen + 1));
            await ExpectMsgAsync(new Hook("preStart", id, gen + 1)); // default PostRestart calls PreStart
            actor.Tell("status", TestActor);
            await ExpectMsgAsync(new Hook("OK", id, gen + 1));
        }

        actor.Tell("boom", TestActor); // fourth failure: out of retries, so Stop
        await ExpectMsgAsync(new Hook("postStop", id, 3));
        await ExpectTerminatedAsync(actor);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Actor_must_not_invoke_preRestart_and_postRestart_when_never_restarted_but_stopped()
    {
        var supervisor = SupervisorWith(new OneForOneStrategy(3, TimeSpan.FromSeconds(1000), _ => Directive.Restart));
        var id = Guid.NewGuid().ToString("N");
        var actor = await supervisor.Ask<IActorRef>(
            Props.Create(() => new LifeCycleTestActor(TestActor, id, new StrongBox<int>(0))), TimeSpan.FromSeconds(3));
        await ExpectMsgAsync(new Hook("ctor", id, 0));
        await ExpectMsgAsync(new Hook("preStart", id, 0));
        Sys.Stop(actor);
        await ExpectMsgAsync(new Hook("postStop", id, 0));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }
}

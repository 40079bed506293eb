using Ingrain.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Runtime;

public sealed class ReceiveActorSpec(ITestOutputHelper output) : ActorTestKit(output)
{
    private sealed record Number(int Value);

    private sealed class Classifier : ReceiveActor
    {
        public Classifier()
        {
            Receive<Number>(n => n.Value < 0, n => Sender.Tell($"negative {n.Value}", Self));
            Receive<Number>(n => Sender.Tell($"number {n.Value}", Self));
            Receive<Number>(_ => Sender.Tell("never: the previous handler matches first", Self));
            Receive<string>(s => s == "late", _ => Receive<int>(_ => { })); // registering outside the constructor
        }
    }

    private sealed class Switch : ReceiveActor
    {
        public Switch()
        {
            Off();
        }

        private void Off()
        {
            Receive<string>(s => s == "on", _ => Become(On));
            Receive<string>(s => s == "push", _ => BecomeStacked(Pushed));
            Receive<string>(s => Sender.Tell($"off:{s}", Self));
        }

        private void On()
        {
            Receive<string>(s => s == "off", _ => Become(Off));
            Receive<string>(s => Sender.Tell($"on:{s}", Self));
        }

        private void Pushed()
        {
            Receive<string>(s => s == "pop", _ => Unbecome());
            Receive<string>(s => Sender.Tell($"pushed:{s}", Self));
        }
    }

    private sealed class CatchAll : ReceiveActor
    {
        public CatchAll()
        {
            Receive<string>(s => Sender.Tell($"string {s}", Self));
            ReceiveAny(m => Sender.Tell($"any {m.GetType().Name}", Self));
        }
    }

    [Fact]
    public async Task The_first_matching_handler_wins_and_predicates_select()
    {
        var actor = ActorOf(Props.Create(() => new Classifier()));
        actor.Tell(new Number(-1), TestActor);
        actor.Tell(new Number(5), TestActor);
        await ExpectMsgAsync("negative -1");
        await ExpectMsgAsync("number 5");
    }

    [Fact]
    public async Task ReceiveAny_matches_what_no_earlier_handler_took()
    {
        var actor = ActorOf(Props.Create(() => new CatchAll()));
        actor.Tell("x", TestActor);
        actor.Tell(42, TestActor);
        await ExpectMsgAsync("string x");
        await ExpectMsgAsync("any Int32");
    }

    [Fact]
    public async Task Unhandled_messages_are_published_on_the_event_stream()
    {
        var actor = ActorOf(Props.Create(() => new Classifier()));
        await EventFilter.Unhandled<DateTime>().ExpectOneAsync(() =>
        {
            actor.Tell(DateTime.UnixEpoch, TestActor);
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Registering_a_handler_outside_the_constructor_or_Become_fails_the_actor()
    {
        var actor = ActorOf(Props.Create(() => new Classifier()));
        await EventFilter.Exception<IllegalActorStateException>(contains: "only be registered in the constructor").ExpectOneAsync(() =>
        {
            actor.Tell("late", TestActor);
            return Task.CompletedTask;
        });
    }

    private sealed class AsyncVoidHandler : ReceiveActor
    {
        public AsyncVoidHandler() => Receive<string>(async _ => await Task.Yield());
    }

    [Fact]
    public async Task An_async_lambda_given_to_Receive_is_refused_at_construction()
    {
        await EventFilter.Exception<ActorInitializationException>(contains: "ReceiveAsync<String>").ExpectOneAsync(() =>
        {
            ActorOf(Props.Create(() => new AsyncVoidHandler()));
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Become_replaces_the_behaviour_and_BecomeStacked_Unbecome_push_and_pop()
    {
        var actor = ActorOf(Props.Create(() => new Switch()));
        foreach (var m in new[] { "a", "on", "b", "push", "off", "c" }) actor.Tell(m, TestActor);
        await ExpectMsgAsync("off:a");
        await ExpectMsgAsync("on:b");
        await ExpectMsgAsync("on:push"); // "push" means nothing to the On behaviour
        await ExpectMsgAsync("off:c");
        foreach (var m in new[] { "push", "d", "pop", "e" }) actor.Tell(m, TestActor);
        await ExpectMsgAsync("pushed:d");
        await ExpectMsgAsync("off:e");
    }
}

using Ingrain.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Runtime;

public sealed class ActorRefSpec(ITestOutputHelper output) : ActorTestKit(output)
{
    private sealed record Ping(int N);

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m, Self));
    }

    private sealed class Silent : ReceiveActor
    {
        public Silent() => ReceiveAny(_ => { });
    }

    private sealed class Relay : ReceiveActor
    {
        public Relay(IActorRef next) => ReceiveAny(m => next.Forward(m, Context));
    }

    [Fact]
    public async Task Tell_delivers_with_the_explicit_sender()
    {
        var echo = ActorOf(Props.Create(() => new Echo()), "echo");
        echo.Tell(new Ping(1), TestActor);
        await ExpectMsgAsync(new Ping(1));
        Assert.Same(echo, LastSender);
    }

    [Fact]
    public async Task Forward_keeps_the_original_sender()
    {
        var probe = CreateTestProbe();
        var relay = ActorOf(Props.Create(() => new Relay(probe.Ref)));
        relay.Tell(new Ping(2), TestActor);
        await probe.ExpectMsgAsync(new Ping(2));
        Assert.Same(TestActor, probe.LastSender);
    }

    [Fact]
    public async Task Ask_returns_the_reply()
    {
        var echo = ActorOf(Props.Create(() => new Echo()));
        Assert.Equal(new Ping(3), await echo.Ask<Ping>(new Ping(3), TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Ask_throws_the_cause_of_a_Status_Failure_reply()
    {
        var echo = ActorOf(Props.Create(() => new Echo()));
        var ex = await Assert.ThrowsAsync<TimeoutException>(() =>
            echo.Ask<Ping>(new Status.Failure(new TimeoutException("backend slow")), TimeSpan.FromSeconds(3)));
        Assert.Equal("backend slow", ex.Message);
    }

    [Fact]
    public async Task Ask_throws_InvalidCastException_for_a_reply_of_the_wrong_type()
    {
        var echo = ActorOf(Props.Create(() => new Echo()));
        await Assert.ThrowsAsync<InvalidCastException>(() => echo.Ask<string>(new Ping(4), TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Ask_throws_AskTimeoutException_when_no_reply_arrives_in_time()
    {
        var silent = ActorOf(Props.Create(() => new Silent()), "silent");
        var ex = await Assert.ThrowsAsync<AskTimeoutException>(() => silent.Ask<Ping>(new Ping(5), TimeSpan.FromMilliseconds(100)));
        Assert.Contains("/user/silent", ex.Message);
    }

    [Fact]
    public void Names_must_be_unique_among_siblings_and_valid()
    {
        ActorOf(Props.Create(() => new Silent()), "one");
        Assert.Throws<InvalidActorNameException>(() => ActorOf(Props.Create(() => new Silent()), "one"));
        Assert.Throws<InvalidActorNameException>(() => ActorOf(Props.Create(() => new Silent()), "$reserved"));
        Assert.Throws<InvalidActorNameException>(() => ActorOf(Props.Create(() => new Silent()), "a/b"));
        Assert.Throws<InvalidActorNameException>(() => ActorOf(Props.Create(() => new Silent()), ""));
    }

    [Fact]
    public async Task A_name_is_free_again_once_its_actor_has_terminated()
    {
        var first = ActorOf(Props.Create(() => new Silent()), "reused");
        Watch(first);
        Sys.Stop(first);
        await ExpectTerminatedAsync(first);
        await AwaitAssertAsync(() => Assert.NotSame(first, ActorOf(Props.Create(() => new Silent()), "reused")));
    }

    [Fact]
    public void Paths_name_the_system_and_the_parents()
    {
        var actor = ActorOf(Props.Create(() => new Silent()), "pathy");
        Assert.Equal($"ingrain://{Sys.Name}/user/pathy", actor.Path.ToString());
        Assert.Equal(["user", "pathy"], actor.Path.Elements);
    }

    [Fact]
    public async Task Messages_to_a_stopped_actor_become_dead_letters()
    {
        var silent = ActorOf(Props.Create(() => new Silent()));
        Watch(silent);
        Sys.Stop(silent);
        await ExpectTerminatedAsync(silent);
        await EventFilter.DeadLetter<Ping>(p => p.N == 6).ExpectOneAsync(() =>
        {
            silent.Tell(new Ping(6), TestActor);
            return Task.CompletedTask;
        });
    }

    private sealed class PingPong : ReceiveActor
    {
        public PingPong(IActorRef report)
        {
            Receive<(IActorRef Other, int Left)>(m =>
            {
                if (m.Left == 0) report.Tell("done", Self);
                else m.Other.Tell((Self, m.Left - 1), Self);
            });
        }
    }

    [Fact]
    public async Task Two_actors_exchange_many_messages_with_throughput_one_without_losing_a_wakeup()
    {
        var a = ActorOf(Props.Create(() => new PingPong(TestActor)).WithThroughput(1));
        var b = ActorOf(Props.Create(() => new PingPong(TestActor)).WithThroughput(1));
        for (var i = 0; i < 4; i++) a.Tell((b, 50_000), null); // four rallies at once
        Assert.Equal(["done", "done", "done", "done"], await ReceiveNAsync(4, TimeSpan.FromSeconds(30)));
    }

    private sealed class Spawner : ReceiveActor
    {
        public Spawner() => Receive<int>(n =>
        {
            for (var i = 0; i < n; i++) Context.ActorOf(Props.Create(() => new Silent()));
            Sender.Tell(Context.GetChildren().Count, Self);
        });
    }

    [Fact]
    public async Task Stopping_a_parent_with_thousands_of_children_stops_them_all_first()
    {
        var parent = ActorOf(Props.Create(() => new Spawner()));
        Assert.Equal(5_000, await parent.Ask<int>(5_000, TimeSpan.FromSeconds(10)));
        Watch(parent);
        Sys.Stop(parent);
        await ExpectTerminatedAsync(parent, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Actors_cannot_be_constructed_outside_the_runtime()
    {
        var ex = Assert.Throws<IllegalActorStateException>(() => new Silent());
        Assert.Contains("ActorOf", ex.Message);
    }
}

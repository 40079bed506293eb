using System.Collections.Concurrent;
using Ingrain.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Runtime;

public sealed class CoordinatedShutdownSpec(ITestOutputHelper output) : ActorTestKit(output)
{
    private sealed class Recorder(ConcurrentQueue<string> trace, string name) : ActorBase
    {
        protected override bool Receive(object message)
        {
            if (message is not Props props) return false;
            Sender.Tell(Context.ActorOf(props), Self);
            return true;
        }

        protected override void PostStop() => trace.Enqueue($"postStop {name}");
    }

    [Fact]
    public async Task Phases_run_in_order_and_the_system_terminates_last()
    {
        var trace = new ConcurrentQueue<string>();
        var shutdown = Sys.CoordinatedShutdown;
        ActorOf(Props.Create(() => new Recorder(trace, "actor")));
        shutdown.AddTask(CoordinatedShutdown.PhaseFlushBackends, "flush", async _ =>
        {
            await Task.Delay(20);
            trace.Enqueue("flush backends");
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseStopProbes, "probes", _ =>
        {
            trace.Enqueue("stop probes");
            return Task.CompletedTask;
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseDrainPipelines, "drain", async _ =>
        {
            await Task.Delay(10);
            trace.Enqueue("drain pipelines");
        });

        await shutdown.RunAsync("test");
        Assert.True(Sys.WhenTerminated.IsCompleted);
        Assert.Equal(["stop probes", "drain pipelines", "flush backends", "postStop actor"], trace);
        Assert.Equal("test", shutdown.Reason);
        Assert.Same(shutdown.RunAsync("again"), shutdown.RunAsync("again")); // runs once
    }

    [Fact]
    public async Task A_phase_that_times_out_is_cancelled_and_the_next_phase_runs()
    {
        var system = ActorSystem.Create("shutdown-timeout", new ActorSystemSettings
        {
            ShutdownPhases =
            [
                new("slow", TimeSpan.FromMilliseconds(100)),
                new("next", TimeSpan.FromSeconds(5)),
                new(CoordinatedShutdown.PhaseActorSystemTerminate, TimeSpan.FromSeconds(5)),
            ],
        });
        var trace = new ConcurrentQueue<string>();
        system.CoordinatedShutdown.AddTask("slow", "hangs", async ct =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                trace.Enqueue("slow cancelled");
                throw;
            }
        });
        system.CoordinatedShutdown.AddTask("next", "runs", _ =>
        {
            trace.Enqueue("next");
            return Task.CompletedTask;
        });
        await system.CoordinatedShutdown.RunAsync();
        await AwaitConditionAsync(() => trace.Count == 2);
        Assert.Contains("next", trace);
        Assert.Contains("slow cancelled", trace);
        Assert.True(system.WhenTerminated.IsCompleted);
    }

    [Fact]
    public void Unknown_phases_and_late_tasks_are_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => Sys.CoordinatedShutdown.AddTask("no-such-phase", "t", _ => Task.CompletedTask));
        Assert.Contains(CoordinatedShutdown.PhaseStopProbes, ex.Message);
        _ = Sys.CoordinatedShutdown.RunAsync();
        Assert.Throws<InvalidOperationException>(() =>
            Sys.CoordinatedShutdown.AddTask(CoordinatedShutdown.PhaseStopProbes, "late", _ => Task.CompletedTask));
    }

    [Fact]
    public async Task Terminate_completes_only_when_every_actor_has_stopped_children_first()
    {
        var trace = new ConcurrentQueue<string>();
        var parent = ActorOf(Props.Create(() => new Recorder(trace, "parent")));
        var child = await parent.Ask<IActorRef>(Props.Create(() => new Recorder(trace, "child")), TimeSpan.FromSeconds(3));
        await child.Ask<IActorRef>(Props.Create(() => new Recorder(trace, "grandchild")), TimeSpan.FromSeconds(3));
        await Sys.Terminate();
        Assert.Equal(["postStop grandchild", "postStop child", "postStop parent"], trace);
        Assert.Throws<IllegalActorStateException>(() => ActorOf(Props.Create(() => new Recorder(trace, "late"))));
    }
}

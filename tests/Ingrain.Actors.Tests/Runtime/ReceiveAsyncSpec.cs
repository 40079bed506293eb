using System.Collections.Concurrent;
using Ingrain.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Runtime;

public sealed class ReceiveAsyncSpec(ITestOutputHelper output) : ActorTestKit(output)
{
    private sealed record Work(int N);

    private sealed class AsyncWorker : ReceiveActor
    {
        public AsyncWorker(ConcurrentQueue<string> trace)
        {
            ReceiveAsync<Work>(async w =>
            {
                trace.Enqueue($"enter {w.N}");
                await Task.Delay(20);
                await Task.Yield();
                trace.Enqueue($"exit {w.N}");
                Sender.Tell(w, Self); // Sender is still the sender of this message after the awaits
            });
            ReceiveAsync<int>(async _ =>
            {
                await Task.Delay(10);
                throw new InvalidOperationException("async failure");
            });
            Receive<string>(s => Sender.Tell(s, Self));
        }
    }

    [Fact]
    public async Task Awaited_handlers_hold_the_mailbox_so_they_never_interleave()
    {
        var trace = new ConcurrentQueue<string>();
        var actor = ActorOf(Props.Create(() => new AsyncWorker(trace)));
        for (var i = 1; i <= 3; i++) actor.Tell(new Work(i), TestActor);
        await ExpectMsgAsync(new Work(1));
        await ExpectMsgAsync(new Work(2));
        await ExpectMsgAsync(new Work(3));
        Assert.Equal(["enter 1", "exit 1", "enter 2", "exit 2", "enter 3", "exit 3"], trace);
    }

    [Fact]
    public async Task A_faulted_async_handler_fails_the_actor_like_a_throwing_one()
    {
        var actor = ActorOf(Props.Create(() => new AsyncWorker(new ConcurrentQueue<string>())));
        await EventFilter.Exception<InvalidOperationException>(contains: "async failure").ExpectOneAsync(() =>
        {
            actor.Tell(1, TestActor);
            return Task.CompletedTask;
        });
        actor.Tell("alive after restart", TestActor);
        await ExpectMsgAsync("alive after restart");
    }
}

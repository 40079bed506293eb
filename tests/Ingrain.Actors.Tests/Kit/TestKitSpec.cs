using Ingrain.TestKit;
using Xunit;
using Xunit.Sdk;

namespace Ingrain.Actors.Tests.Kit;

/// <summary>The TestKit's own behaviour: failure messages, Within deadlines, fishing, virtual time.</summary>
public sealed class TestKitSpec : ActorTestKit
{
    [Fact]
    public async Task ExpectMsg_reports_what_arrived_instead_and_from_whom()
    {
        TestActor.Tell(42, TestActor);
        var ex = await Assert.ThrowsAsync<XunitException>(() => ExpectMsgAsync<string>());
        Assert.Contains("Expected a message of type String, but received 42 (type Int32)", ex.Message);
        Assert.Contains("testActor", ex.Message);
    }

    [Fact]
    public async Task ExpectMsg_times_out_with_the_expected_type_in_the_message()
    {
        var ex = await Assert.ThrowsAsync<XunitException>(() => ExpectMsgAsync<string>(TimeSpan.FromMilliseconds(50), "a greeting"));
        Assert.Contains("Timeout", ex.Message);
        Assert.Contains("String", ex.Message);
        Assert.Contains("a greeting", ex.Message);
    }

    [Fact]
    public async Task ExpectNoMsg_fails_when_a_message_arrives()
    {
        TestActor.Tell("surprise", TestActor);
        var ex = await Assert.ThrowsAsync<XunitException>(() => ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100)));
        Assert.Contains("Expected no messages", ex.Message);
        Assert.Contains("surprise", ex.Message);
    }

    [Fact]
    public async Task Nested_Within_blocks_bound_expects_by_the_innermost_remaining_time()
    {
        await WithinAsync(TimeSpan.FromSeconds(2), async () =>
        {
            Assert.InRange(Remaining, TimeSpan.FromSeconds(1), Dilated(TimeSpan.FromSeconds(2)));
            await WithinAsync(TimeSpan.FromMilliseconds(300), async () =>
            {
                Assert.True(Remaining <= Dilated(TimeSpan.FromMilliseconds(300)));
                var start = DateTime.UtcNow;
                await Assert.ThrowsAsync<XunitException>(() => ExpectMsgAsync<string>()); // waits only what remains
                Assert.True(DateTime.UtcNow - start < Dilated(TimeSpan.FromSeconds(1.5)));
            }).ContinueWith(_ => { }); // the inner block overran its 300 ms on purpose
        });
    }

    [Fact]
    public async Task Within_fails_a_block_that_finishes_too_early()
    {
        var ex = await Assert.ThrowsAsync<XunitException>(() =>
            WithinAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), () => Task.CompletedTask));
        Assert.Contains("should at least have been", ex.Message);
    }

    [Fact]
    public async Task FishForMessage_skips_until_a_match()
    {
        foreach (var m in new object[] { "a", 1, "b", 2 }) TestActor.Tell(m, TestActor);
        Assert.Equal(2, await FishForMessageAsync<int>(i => i > 1));
    }

    [Fact]
    public async Task AwaitCondition_fails_after_its_timeout()
    {
        var ex = await Assert.ThrowsAsync<XunitException>(() =>
            AwaitConditionAsync(() => false, TimeSpan.FromMilliseconds(100), message: "never true"));
        Assert.Contains("never true", ex.Message);
    }

    [Fact]
    public void ManualTimeProvider_fires_timers_in_due_order_at_their_due_time()
    {
        var time = new ManualTimeProvider();
        var fired = new List<(string, TimeSpan)>();
        using var late = time.CreateTimer(_ => fired.Add(("late", time.Elapsed)), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        using var periodic = time.CreateTimer(_ => fired.Add(("periodic", time.Elapsed)), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal([("periodic", TimeSpan.FromSeconds(2)), ("periodic", TimeSpan.FromSeconds(4)),
            ("late", TimeSpan.FromSeconds(5)), ("periodic", TimeSpan.FromSeconds(6))], fired);
        Assert.Equal(TimeSpan.FromSeconds(6), time.Elapsed);
    }

    [Fact]
    public void TestProbe_Reply_answers_the_last_sender()
    {
        var probe = CreateTestProbe();
        probe.Ref.Tell("question", TestActor);
        probe.ExpectMsg("question");
        probe.Reply("answer");
        ExpectMsg("answer");
        Assert.Same(probe.Ref, LastSender);
    }
}

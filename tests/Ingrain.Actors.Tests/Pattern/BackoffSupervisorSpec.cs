using System.Runtime.CompilerServices;
using Ingrain.Actors.Pattern;
using Ingrain.Actors.Supervision;
using Ingrain.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.Actors.Tests.Pattern;

public sealed class BackoffSupervisorSpec(ITestOutputHelper output) : ActorTestKit(output, virtualTime: true)
{
    private sealed class AttachException(string message) : Exception(message);

    private sealed record Started(int Incarnation);

    /// <summary>Reports each start; throws on "boom"; stops on "stop"; echoes anything else to its sender.</summary>
    private sealed class Child : ReceiveActor
    {
        private readonly IActorRef _report;
        private readonly StrongBox<int> _starts;
        private readonly bool _failOnStart;

        public Child(IActorRef report, StrongBox<int> starts, bool failOnStart)
        {
            _report = report;
            _starts = starts;
            _failOnStart = failOnStart;
            Receive<string>(s => s == "boom", _ => throw new AttachException("boom"));
            Receive<string>(s => s == "stop", _ => Context.Stop(Self));
            Receive<string>(s => s == "to-parent", _ => Context.Parent.Tell("from-child", Self));
            ReceiveAny(m => Sender.Tell(m, Self));
        }

        protected override void PreStart()
        {
            _report.Tell(new Started(Interlocked.Increment(ref _starts.Value)), Self);
            if (_failOnStart) throw new AttachException("cannot attach");
        }
    }

    private Props ChildProps(StrongBox<int> starts, bool failOnStart = false) =>
        Props.Create(() => new Child(TestActor, starts, failOnStart));

    public static TheoryData<int, TimeSpan, TimeSpan, TimeSpan> DelayTable => new()
    {
        { 0, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100) },
        { 1, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200) },
        { 2, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(400) },
        { 3, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(800) },
        { 4, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1) },
        { 5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30) },
        { 1000, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30) },     // 2^1000 overflows a long
        { int.MaxValue, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1) }, // Pow → infinity
    };

    [Theory]
    [MemberData(nameof(DelayTable))]
    public void CalculateDelay_doubles_from_min_and_caps_at_max_with_random_factor_zero(int restartCount, TimeSpan min,
        TimeSpan max, TimeSpan expected) =>
        Assert.Equal(expected, BackoffSupervisor.CalculateDelay(restartCount, min, max, 0.0));

    [Fact]
    public void CalculateDelay_applies_the_random_factor_after_the_cap()
    {
        for (var i = 0; i < 100; i++)
        {
            var delay = BackoffSupervisor.CalculateDelay(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0.5);
            Assert.InRange(delay, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15));
        }
    }

    [Theory]
    [InlineData(0, 1000, 0.2, "minBackoff must be > 0")]
    [InlineData(1000, 999, 0.2, "maxBackoff must be >= minBackoff")]
    [InlineData(1000, 2000, 1.5, "randomFactor must be between 0.0 and 1.0")]
    [InlineData(1000, 2000, -0.1, "randomFactor must be between 0.0 and 1.0")]
    public void Options_are_validated(int minMs, int maxMs, double factor, string message)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => BackoffOptions.OnStop(Props.Create(() => new Child(TestActor, new(0), false)),
            "c", TimeSpan.FromMilliseconds(minMs), TimeSpan.FromMilliseconds(maxMs), factor));
        Assert.StartsWith(message, ex.Message);
    }

    [Fact]
    public async Task OnStop_starts_the_child_again_after_the_backoff_delays()
    {
        var starts = new StrongBox<int>(0);
        var supervisor = ActorOf(BackoffSupervisor.Props(BackoffOptions.OnStop(ChildProps(starts), "child",
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0.0).WithManualReset()));
        await ExpectMsgAsync(new Started(1));

        supervisor.Tell("stop", TestActor);
        await AwaitChildGoneAsync(supervisor);
        VirtualTime.Advance(TimeSpan.FromMilliseconds(999));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        VirtualTime.Advance(TimeSpan.FromMilliseconds(1)); // first delay: min = 1 s
        await ExpectMsgAsync(new Started(2));

        supervisor.Tell("stop", TestActor);
        await AwaitChildGoneAsync(supervisor);
        VirtualTime.Advance(TimeSpan.FromMilliseconds(1999));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        VirtualTime.Advance(TimeSpan.FromMilliseconds(1)); // second delay: 2 s
        await ExpectMsgAsync(new Started(3));
        Assert.Equal(2, (await supervisor.Ask<BackoffSupervisor.RestartCount>(BackoffSupervisor.GetRestartCount.Instance, TimeSpan.FromSeconds(3))).Count);
    }

    [Fact]
    public async Task OnStop_retries_a_child_whose_PreStart_fails()
    {
        var starts = new StrongBox<int>(0);
        var supervisor = ActorOf(BackoffSupervisor.Props(BackoffOptions.OnStop(ChildProps(starts, failOnStart: true), "probe",
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0.0)));
        await ExpectMsgAsync(new Started(1));
        await AwaitChildGoneAsync(supervisor); // stopped by the default decider (ActorInitializationException)
        VirtualTime.Advance(TimeSpan.FromSeconds(1));
        await ExpectMsgAsync(new Started(2));
    }

    [Fact]
    public async Task OnFailure_restarts_a_failing_child_after_the_delay_and_stops_when_it_stops_on_its_own()
    {
        var starts = new StrongBox<int>(0);
        var supervisor = ActorOf(BackoffSupervisor.Props(BackoffOptions.OnFailure(ChildProps(starts), "child",
            TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), 0.0)));
        Watch(supervisor);
        await ExpectMsgAsync(new Started(1));

        supervisor.Tell("boom", TestActor);
        await AwaitChildGoneAsync(supervisor);
        VirtualTime.Advance(TimeSpan.FromSeconds(2));
        await ExpectMsgAsync(new Started(2));

        supervisor.Tell("stop", TestActor);
        await ExpectTerminatedAsync(supervisor);
    }

    [Fact]
    public async Task The_supervisor_stops_itself_after_maxNrOfRetries()
    {
        var starts = new StrongBox<int>(0);
        var supervisor = ActorOf(BackoffSupervisor.Props(BackoffOptions.OnFailure(ChildProps(starts), "child",
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 0.0, maxNrOfRetries: 2).WithManualReset()));
        Watch(supervisor);
        await ExpectMsgAsync(new Started(1));
        for (var n = 2; n <= 3; n++)
        {
            supervisor.Tell("boom", TestActor);
            await AwaitChildGoneAsync(supervisor);
            VirtualTime.Advance(TimeSpan.FromSeconds(1));
            await ExpectMsgAsync(new Started(n));
        }
        supervisor.Tell("boom", TestActor);
        await ExpectTerminatedAsync(supervisor);
    }

    [Fact]
    public async Task The_restart_count_resets_after_the_child_ran_for_the_reset_period()
    {
        var starts = new StrongBox<int>(0);
        var supervisor = ActorOf(BackoffSupervisor.Props(BackoffOptions.OnFailure(ChildProps(starts), "child",
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), 0.0).WithAutoReset(TimeSpan.FromSeconds(30))));
        await ExpectMsgAsync(new Started(1));
        supervisor.Tell("boom", TestActor);
        await AwaitChildGoneAsync(supervisor);
        VirtualTime.Advance(TimeSpan.FromSeconds(1));
        await ExpectMsgAsync(new Started(2));
        Assert.Equal(1, (await supervisor.Ask<BackoffSupervisor.RestartCount>(BackoffSupervisor.GetRestartCount.Instance, TimeSpan.FromSeconds(3))).Count);

        VirtualTime.Advance(TimeSpan.FromSeconds(30)); // stable for the reset period
        await AwaitAssertAsync(async () => Assert.Equal(0,
            (await supervisor.Ask<BackoffSupervisor.RestartCount>(BackoffSupervisor.GetRestartCount.Instance, TimeSpan.FromSeconds(3))).Count));
    }

    [Fact]
    public async Task Messages_are_forwarded_to_the_child_with_the_original_sender_and_child_messages_go_to_the_parent()
    {
        var starts = new StrongBox<int>(0);
        var supervisor = ActorOf(BackoffSupervisor.Props(BackoffOptions.OnStop(ChildProps(starts), "child",
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 0.0).WithReplyWhileStopped("no child")));
        await ExpectMsgAsync(new Started(1));
        supervisor.Tell("hello", TestActor);
        await ExpectMsgAsync("hello");
        var child = (await supervisor.Ask<BackoffSupervisor.CurrentChild>(BackoffSupervisor.GetCurrentChild.Instance, TimeSpan.FromSeconds(3))).Ref;
        Assert.Same(child, LastSender);

        supervisor.Tell("stop", TestActor);
        await AwaitChildGoneAsync(supervisor);
        supervisor.Tell("anyone?", TestActor);
        await ExpectMsgAsync("no child");
    }

    private async Task AwaitChildGoneAsync(IActorRef supervisor) =>
        await AwaitAssertAsync(async () => Assert.Null((await supervisor.Ask<BackoffSupervisor.CurrentChild>(
            BackoffSupervisor.GetCurrentChild.Instance, TimeSpan.FromSeconds(3))).Ref));
}

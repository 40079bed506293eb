using Ingrain.Actors.Supervision;
using Ingrain.TestKit;
using Xunit;

namespace Ingrain.Actors.Tests.Supervision;

/// <summary>Akka's restart counting rules as a pure function of (max, window, now).</summary>
public sealed class ChildRestartStatsSpec : ActorTestKit
{
    private ChildRestartStats NewStats() => new(TestActor);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Zero_retries_always_deny()
    {
        var stats = NewStats();
        Assert.False(stats.RequestRestartPermission(0, null, S(0)));
        Assert.False(stats.RequestRestartPermission(0, S(10), S(1)));
    }

    [Fact]
    public void Unlimited_retries_without_window_always_allow()
    {
        var stats = NewStats();
        for (var i = 0; i < 1000; i++) Assert.True(stats.RequestRestartPermission(-1, null, S(i)));
    }

    [Fact]
    public void Retries_without_window_are_a_lifetime_count_that_never_resets()
    {
        var stats = NewStats();
        Assert.True(stats.RequestRestartPermission(2, null, S(0)));
        Assert.True(stats.RequestRestartPermission(2, null, S(1000)));
        Assert.False(stats.RequestRestartPermission(2, null, S(1_000_000)));
    }

    [Theory]
    // (now of each request in seconds) with max = 3 within 10 s → expected answers
    [InlineData(new[] { 0.0, 1, 2, 3 }, new[] { true, true, true, false })]   // 4th inside the window
    [InlineData(new[] { 0.0, 1, 2, 10 }, new[] { true, true, true, false })]  // window end is inclusive
    [InlineData(new[] { 0.0, 1, 2, 10.5, 11, 12 }, new[] { true, true, true, true, true, true })] // elapsed: count restarts at 1
    [InlineData(new[] { 0.0, 1, 2, 10.5, 11, 12, 13 }, new[] { true, true, true, true, true, true, false })] // new window anchored at 10.5
    [InlineData(new[] { 5.0, 9, 14, 15.5, 16 }, new[] { true, true, true, true, true })] // tumbling window: anchored at the first (5 s), not sliding
    public void Retries_within_a_window_count_in_a_tumbling_window_anchored_at_the_first_restart(double[] at, bool[] expected)
    {
        var stats = NewStats();
        var answers = at.Select(t => stats.RequestRestartPermission(3, S(10), S(t))).ToArray();
        Assert.Equal(expected, answers);
    }

    [Fact]
    public void A_window_without_retries_allows_one_restart_per_window()
    {
        var stats = NewStats();
        Assert.True(stats.RequestRestartPermission(-1, S(10), S(0)));
        Assert.False(stats.RequestRestartPermission(-1, S(10), S(5)));
        Assert.True(stats.RequestRestartPermission(-1, S(10), S(11)));
    }
}

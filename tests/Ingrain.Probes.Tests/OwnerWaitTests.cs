using Ingrain.Probes.Packets;
using Ingrain.Probes.Sockets;
using Xunit;

namespace Ingrain.Probes.Tests;

/// <summary>The payload probes' wait for a socket's owner: bounded, released in arrival order, expired when over.</summary>
public sealed class OwnerWaitTests
{
    private static readonly SocketOwner Dig = new(42, 43, 0, "dig", "isc-net-0000", default, 1);

    [Fact]
    public void Held_items_go_out_with_the_owner_in_arrival_order_and_no_more_than_the_capacity_is_held()
    {
        var wait = new OwnerWait<int>(TimeSpan.FromMinutes(1), capacity: 3);
        Assert.True(wait.TryHold(7, 1));
        Assert.True(wait.TryHold(7, 2));
        Assert.True(wait.TryHold(8, 3));
        Assert.False(wait.TryHold(8, 4)); // full: the caller emits it without an owner
        var released = new List<(int, SocketOwner)>();
        wait.Release(7, Dig, (i, o) => released.Add((i, o)));
        Assert.Equal([(1, Dig), (2, Dig)], released);
        Assert.Equal(1, wait.Count);
        wait.Release(7, Dig, (i, o) => released.Add((i, o))); // nothing held for it any more
        Assert.Equal(2, released.Count);
    }

    [Fact]
    public void A_tick_releases_sockets_whose_owner_is_known_and_expires_the_rest_only_when_over_or_stopping()
    {
        var wait = new OwnerWait<int>(TimeSpan.FromMinutes(1), capacity: 10);
        wait.TryHold(7, 1);
        wait.TryHold(8, 2);
        var owned = new List<int>();
        var expired = new List<int>();
        wait.Tick(all: false, c => c == 7 ? Dig : null, (i, _) => owned.Add(i), expired.Add);
        Assert.Equal([1], owned);
        Assert.Empty(expired); // its minute is not over
        wait.Tick(all: true, _ => null, (i, _) => owned.Add(i), expired.Add);
        Assert.Equal([2], expired);
        Assert.Equal(0, wait.Count);
    }

    [Fact]
    public void With_no_wait_nothing_is_held() => Assert.False(new OwnerWait<int>(TimeSpan.Zero, 10).TryHold(1, 1));
}

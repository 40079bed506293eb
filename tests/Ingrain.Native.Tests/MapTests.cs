using Ingrain.TestSupport.Kernel;
using Xunit;

namespace Ingrain.Native.Tests;

[Collection(KernelCollection.Name)]
public sealed class MapTests
{
    [KernelFact]
    public void Hash_map_update_lookup_iterate_delete()
    {
        KernelReady.Ensure();
        using var obj = TestObject.OpenAndLoad();
        var map = obj.Map("counts");
        Assert.Equal((4, 8, 64), (map.KeySize, map.ValueSize, map.MaxEntries));

        map.Update(10u, 100UL);
        map.Update(11u, 110UL, BpfUpdate.NoExist);
        Assert.Throws<Errors.BpfException>(() => map.Update(11u, 1UL, BpfUpdate.NoExist));
        map.Update(11u, 111UL, BpfUpdate.Exist);

        Assert.True(map.TryLookup(11u, out ulong value));
        Assert.Equal(111UL, value);
        Assert.False(map.TryLookup(12u, out ulong _));
        Assert.Equal([10u, 11u], map.Keys<uint>().Order());

        Assert.True(map.Delete(10u));
        Assert.False(map.Delete(10u));
        Assert.Equal([11u], map.Keys<uint>());
    }

    [KernelFact]
    public void Key_and_value_sizes_are_checked()
    {
        KernelReady.Ensure();
        using var obj = TestObject.OpenAndLoad();
        var map = obj.Map("counts");
        Assert.Throws<ArgumentException>(() => map.Update(1UL, 1UL));
        Assert.Throws<ArgumentException>(() => map.TryLookup(1u, out uint _));
    }

    [KernelFact]
    public void Per_cpu_counter_sums_over_cpus_and_starts_at_zero()
    {
        KernelReady.Ensure();
        using var obj = TestObject.OpenAndLoad();
        var lost = obj.Map("reserve_failed");
        Assert.True(lost.IsPerCpu);
        Assert.Equal(0UL, lost.SumPerCpu(0));
        var values = new byte[lost.PerCpuValueSize];
        BitConverter.TryWriteBytes(values.AsSpan(0, 8), 5UL);
        BitConverter.TryWriteBytes(values.AsSpan(values.Length - 8, 8), 2UL);
        lost.Update(BitConverter.GetBytes(0u), values);
        Assert.Equal(BpfMap.PossibleCpus > 1 ? 7UL : 2UL, lost.SumPerCpu(0));
    }

    [KernelFact]
    public void Maps_of_a_not_loaded_object_have_no_fd()
    {
        KernelReady.Ensure();
        using var obj = BpfObject.Open(TestObject.Bytes(), "ingrain_ntest");
        Assert.Throws<InvalidOperationException>(() => obj.Map("counts").Fd);
    }
}

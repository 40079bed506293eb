using Ingrain.Native.Errors;
using Ingrain.TestSupport.Kernel;
using Xunit;

namespace Ingrain.Native.Tests;

[Collection(KernelCollection.Name)]
public sealed class ObjectLifecycleTests
{
    [KernelFact]
    public void Opening_a_corrupted_object_throws_BpfObjectFormatException_with_libbpf_log()
    {
        KernelReady.Ensure();
        var bytes = TestObject.Bytes();
        var corrupted = bytes.AsSpan(0, bytes.Length / 3).ToArray(); // truncated: section headers are gone
        var e = Assert.Throws<BpfObjectFormatException>(() => BpfObject.Open(corrupted, "ingrain_broken"));
        Assert.Contains("rebuild the agent", e.Message);
        Assert.NotEmpty(e.Log);
        Assert.Throws<BpfObjectFormatException>(() => BpfObject.Open("not an ELF file at all"u8, "ingrain_broken"));
    }

    [KernelFact]
    public void A_program_the_verifier_rejects_throws_BpfVerifierException_keeping_the_log()
    {
        KernelReady.Ensure();
        using var obj = BpfObject.Open(TestObject.Bytes(), "ingrain_ntest");
        obj.SetGlobal("target_tgid", (uint)Environment.ProcessId);
        obj.Program("test_rejected").SetAutoload(true);
        var e = Assert.Throws<BpfVerifierException>(obj.Load);
        Assert.Contains(e.Log, line => line.Contains("invalid mem access", StringComparison.Ordinal));
        Assert.Contains("verifier rejected", e.Message);
    }

    [KernelFact]
    public void Attaching_to_a_missing_tracepoint_throws_BpfTracepointNotFoundException()
    {
        KernelReady.Ensure();
        using var obj = TestObject.OpenAndLoad();
        var e = Assert.Throws<BpfTracepointNotFoundException>(() => obj.Program("test_tp").AttachTracepoint("syscalls", "sys_enter_no_such_call"));
        Assert.Equal("sys_enter_no_such_call", e.Name);
        Assert.Contains("available_events", e.Message);
    }

    [KernelFact]
    public void Setting_an_unknown_global_or_one_of_the_wrong_size_is_refused()
    {
        KernelReady.Ensure();
        using var obj = BpfObject.Open(TestObject.Bytes(), "ingrain_ntest");
        Assert.Throws<KeyNotFoundException>(() => obj.SetGlobal("no_such_global", 1u));
        Assert.Throws<ArgumentException>(() => obj.SetGlobal("target_tgid", 1UL));
    }

    [KernelFact]
    public void Disposing_the_object_detaches_its_links_and_unloads_its_programs()
    {
        KernelReady.Ensure();
        var obj = TestObject.OpenAndLoad();
        var tp = obj.Program("test_tp").AttachTracepoint("syscalls", "sys_enter_getppid");
        var raw = obj.Program("test_raw_tp").AttachRawTracepoint("sys_enter");
        uint[] programs = [obj.Program("test_tp").Id, obj.Program("test_raw_tp").Id];
        uint[] links = [tp.Id, raw.Id];
        Assert.All(programs, id => Assert.True(BpfIds.ProgramExists(id)));
        Assert.All(links, id => Assert.True(id != 0 && BpfIds.LinkExists(id)));

        obj.Dispose();

        Assert.True(tp.IsClosed && raw.IsClosed);
        Assert.True(TestObject.Eventually(() => !links.Any(BpfIds.LinkExists)), "a link is still in the kernel");
        Assert.True(TestObject.Eventually(() => !programs.Any(BpfIds.ProgramExists)), "a program is still loaded");
    }

    [KernelFact]
    public void Disposing_a_link_detaches_only_that_program()
    {
        KernelReady.Ensure();
        using var obj = TestObject.OpenAndLoad();
        var link = obj.Program("test_raw_tp").AttachRawTracepoint("sys_enter");
        var id = link.Id;
        link.Dispose();
        Assert.True(TestObject.Eventually(() => !BpfIds.LinkExists(id)));
        Assert.True(BpfIds.ProgramExists(obj.Program("test_raw_tp").Id)); // still loaded: the object owns it
    }

    [KernelFact]
    public void Preflight_passes_as_root_and_leaves_tracefs_and_bpffs_mounted()
    {
        KernelReady.Ensure();
        var report = BpfPreflight.Run();
        Assert.True(report.Kernel >= BpfPreflight.MinimumKernel);
        Assert.True(BpfPreflight.IsMounted("tracefs", BpfPreflight.TracefsPath));
        Assert.True(BpfPreflight.IsMounted("bpf", BpfPreflight.BpffsPath));
    }
}

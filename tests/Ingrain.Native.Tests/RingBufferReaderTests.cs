using System.Buffers.Binary;
using Ingrain.TestSupport.Kernel;
using Xunit;

namespace Ingrain.Native.Tests;

[Collection(KernelCollection.Name)]
public sealed class RingBufferReaderTests
{
    private const ulong Magic = 0x1A2B3C4D5E6F7788;

    [KernelFact]
    public void ConsumeAvailable_hands_every_record_to_the_handler()
    {
        KernelReady.Ensure();
        using var obj = TestObject.OpenAndLoad(Magic);
        using var reader = new RingBufferReader(obj.Map("events"), obj.Map("reserve_failed"));
        using (obj.Program("test_tp").AttachTracepoint("syscalls", "sys_enter_getppid"))
        {
            TestObject.CallGetppid(100);
        }
        var seen = new List<ulong>();
        var n = reader.ConsumeAvailable(r => seen.Add(BinaryPrimitives.ReadUInt64LittleEndian(r)));
        Assert.Equal(100, n);
        Assert.Equal(100, seen.Count);
        Assert.All(seen, v => Assert.Equal(Magic, v));
        Assert.Equal(100, reader.Consumed);
        Assert.Equal(0, reader.KernelLost);
    }

    [KernelFact]
    public void Records_the_kernel_cannot_reserve_in_a_full_ring_are_counted_as_kernel_lost()
    {
        KernelReady.Ensure();
        using var obj = TestObject.OpenAndLoad(Magic);
        using var reader = new RingBufferReader(obj.Map("events"), obj.Map("reserve_failed"));
        using (obj.Program("test_tp").AttachTracepoint("syscalls", "sys_enter_getppid"))
        {
            // 16 bytes per record (8 of header) into a 64 KiB ring that nobody consumes: about 4096 fit.
            TestObject.CallGetppid(10_000);
        }
        var n = reader.ConsumeAvailable(r => Assert.Equal(Magic, BinaryPrimitives.ReadUInt64LittleEndian(r)));
        Assert.Equal(n, reader.Consumed);
        Assert.True(reader.KernelLost > 0, "the kernel reported no failed reservation although the ring overflowed");
        Assert.Equal(10_000, reader.Consumed + reader.KernelLost);
        Assert.Equal(0, reader.HandlerFailures);
    }

    [KernelFact]
    public async Task RunAsync_delivers_records_until_cancelled_and_counts_handler_failures()
    {
        KernelReady.Ensure();
        using var obj = TestObject.OpenAndLoad(Magic);
        using var reader = new RingBufferReader(obj.Map("events"), obj.Map("reserve_failed"));
        using var link = obj.Program("test_tp").AttachTracepoint("syscalls", "sys_enter_getppid");
        using var cts = new CancellationTokenSource();
        var count = 0;
        var all = new TaskCompletionSource();
        var run = reader.RunAsync(record =>
        {
            if (++count == 3) throw new InvalidOperationException("a bad record");
            if (count == 10) all.TrySetResult();
        }, cts.Token);

        TestObject.CallGetppid(10);
        await all.Task.WaitAsync(TimeSpan.FromSeconds(10));
        cts.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, reader.HandlerFailures);
        Assert.IsType<InvalidOperationException>(reader.LastHandlerError);
        Assert.Equal(9, reader.Consumed);
    }

    [KernelFact]
    public async Task With_batched_wakeups_records_below_the_threshold_still_arrive_by_the_reader_timer()
    {
        KernelReady.Ensure();
        var batching = new RingBufferBatching(WakeupBytes: 1 << 20, MaxDelay: TimeSpan.FromMilliseconds(20));
        using var obj = BpfObject.Open(TestObject.Bytes(), "ingrain_ntest");
        obj.SetGlobal("target_tgid", (uint)Environment.ProcessId);
        batching.ApplyTo(obj);
        obj.Load();
        using var reader = new RingBufferReader(obj.Map("events"), obj.Map("reserve_failed"), batching);
        using var link = obj.Program("test_tp").AttachTracepoint("syscalls", "sys_enter_getppid");
        using var cts = new CancellationTokenSource();
        var five = new TaskCompletionSource();
        var count = 0;
        var run = reader.RunAsync(_ =>
        {
            if (++count == 5) five.TrySetResult();
        }, cts.Token);

        TestObject.CallGetppid(5); // 5 x 16 bytes: far below the 1 MiB wake-up threshold
        await five.Task.WaitAsync(TimeSpan.FromSeconds(10));
        cts.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(5, reader.Consumed);
    }

    [KernelFact]
    public async Task Dispose_stops_a_running_reader()
    {
        KernelReady.Ensure();
        using var obj = TestObject.OpenAndLoad();
        var reader = new RingBufferReader(obj.Map("events"));
        var run = reader.RunAsync(_ => { }, CancellationToken.None);
        reader.Dispose();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(run.IsCompletedSuccessfully);
    }

    [KernelFact]
    public async Task While_a_run_owns_the_ring_another_consume_or_run_is_refused()
    {
        KernelReady.Ensure();
        using var obj = TestObject.OpenAndLoad();
        using var reader = new RingBufferReader(obj.Map("events"));
        using var cts = new CancellationTokenSource();
        var run = reader.RunAsync(_ => { }, cts.Token);

        Assert.Throws<InvalidOperationException>(() => reader.ConsumeAvailable(_ => { }));
        Assert.Throws<InvalidOperationException>(() => { _ = reader.RunAsync(_ => { }, cts.Token); }); // thrown at the call, not by the task

        cts.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, reader.ConsumeAvailable(_ => { })); // the ring is free again once the run completed
    }

    [KernelFact]
    public void Dispose_waits_for_a_consume_in_flight_on_another_thread()
    {
        KernelReady.Ensure();
        using var obj = TestObject.OpenAndLoad(Magic);
        var reader = new RingBufferReader(obj.Map("events"));
        using (obj.Program("test_tp").AttachTracepoint("syscalls", "sys_enter_getppid"))
        {
            TestObject.CallGetppid(10);
        }
        // Dedicated threads, not the thread pool: the disposer must really run while the handler waits.
        using var inHandler = new ManualResetEventSlim();
        using var disposing = new ManualResetEventSlim();
        using var disposed = new ManualResetEventSlim();
        var disposedDuringConsume = false;
        var seen = new List<ulong>();
        var consumed = 0;
        var consumer = new Thread(() => consumed = reader.ConsumeAvailable(record =>
        {
            if (seen.Count == 0)
            {
                inHandler.Set();
                disposing.Wait();
                Thread.Sleep(100); // time for a Dispose that does not wait to free the ring
                disposedDuringConsume = disposed.IsSet;
            }
            seen.Add(BinaryPrimitives.ReadUInt64LittleEndian(record)); // reads the ring: it must still be mapped
        }));
        var disposer = new Thread(() =>
        {
            disposing.Set();
            reader.Dispose();
            disposed.Set();
        });

        consumer.Start();
        Assert.True(inHandler.Wait(TimeSpan.FromSeconds(10)));
        disposer.Start();
        Assert.True(consumer.Join(TimeSpan.FromSeconds(10)));
        Assert.True(disposer.Join(TimeSpan.FromSeconds(10)));

        Assert.False(disposedDuringConsume, "Dispose freed the ring while a consume was running");
        Assert.Equal(10, consumed);
        Assert.Equal(10, seen.Count);
        Assert.All(seen, v => Assert.Equal(Magic, v));
        Assert.Throws<ObjectDisposedException>(() => reader.ConsumeAvailable(_ => { }));
    }

    [KernelFact]
    public void Only_ring_buffer_maps_are_accepted()
    {
        KernelReady.Ensure();
        using var obj = TestObject.OpenAndLoad();
        Assert.Throws<ArgumentException>(() => new RingBufferReader(obj.Map("counts")));
    }
}

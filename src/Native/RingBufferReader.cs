using System.Runtime.InteropServices;
using Ingrain.Native.Errors;
using Ingrain.Native.Interop;

namespace Ingrain.Native;

/// <summary>Receives one ring buffer record. The span is valid only during the call (it points into the ring).</summary>
public delegate void RingRecordHandler(ReadOnlySpan<byte> record);

/// <summary>
/// Reads a BPF ring buffer map with libbpf's consumer. Records are handed to a <see cref="RingRecordHandler"/> as
/// spans straight from the shared memory: no managed allocation per record.
/// <para>
/// <see cref="RunAsync"/> uses one dedicated thread that sleeps in <c>epoll_wait</c> on libbpf's epoll fd (plus an
/// eventfd that wakes it for cancellation): no busy polling, no thread per CPU. With <see cref="RingBufferBatching"/>
/// it also wakes on a timer.
/// </para>
/// <para>
/// One consumer at a time (libbpf's consumer is not thread-safe): <see cref="ConsumeAvailable"/> while a run or
/// another consume is in progress throws <see cref="InvalidOperationException"/>. <see cref="Dispose"/> stops a run and
/// waits for an in-flight consume before freeing the ring; do not call it from inside a handler.
/// </para>
/// </summary>
public sealed unsafe class RingBufferReader : IDisposable
{
    private readonly RingBufferHandle _ring;
    private readonly BpfMap? _lossCounter;
    private GCHandle _self;
    private RingRecordHandler? _handler;
    private long _consumed, _handlerFailures;
    private Exception? _lastHandlerError;
    private readonly int _wakeFd;
    private readonly int _epollTimeoutMs;
    private volatile bool _stopRequested;

    // Who owns the ring: nobody, one consumer (a ConsumeAvailable call or a whole run), or nobody ever again.
    private const int Idle = 0, Busy = 1, Disposed = 2;
    private int _state;

    /// <summary>
    /// A reader of <paramref name="ring"/> (a loaded BPF_MAP_TYPE_RINGBUF). <paramref name="reserveFailed"/> is the
    /// per-CPU u64 array (key 0) the BPF side increments when a reservation fails (see bpf/include/ingrain.h).
    /// With <paramref name="batching"/> (applied to the object before load), the reader also wakes every
    /// <see cref="RingBufferBatching.MaxDelay"/>; without it, it sleeps until the kernel wakes it.
    /// </summary>
    public RingBufferReader(BpfMap ring, BpfMap? reserveFailed = null, RingBufferBatching? batching = null)
    {
        _epollTimeoutMs = batching?.EpollTimeoutMs ?? -1;
        if (!ring.IsRingBuffer) throw new ArgumentException($"{ring.Name} is not a ring buffer map", nameof(ring));
        _lossCounter = reserveFailed;
        _self = GCHandle.Alloc(this, GCHandleType.Weak);
        var rb = LibBpf.RingBufferNew(ring.Fd, &OnRecord, GCHandle.ToIntPtr(_self), null);
        if (rb == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            _self.Free();
            throw new BpfException(BpfException.Describe($"open ring buffer {ring.Name}", errno), errno);
        }
        _ring = new RingBufferHandle(rb);
        _wakeFd = LibC.EventFd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (_wakeFd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            Dispose();
            throw new BpfException(BpfException.Describe("eventfd", errno), errno);
        }
    }

    /// <summary>Records handed to handlers so far.</summary>
    public long Consumed => Interlocked.Read(ref _consumed);

    /// <summary>Records whose handler threw (the reader logs nothing itself; <see cref="LastHandlerError"/> keeps the last one).</summary>
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);

    public Exception? LastHandlerError => _lastHandlerError;

    /// <summary>Records the kernel could not reserve because the ring was full (summed over CPUs), or 0 without a counter map.</summary>
    public long KernelLost => _lossCounter is null ? 0 : (long)_lossCounter.SumPerCpu(0);

    /// <summary>Hands every record available now to <paramref name="handler"/>; returns how many.</summary>
    /// <exception cref="InvalidOperationException">A run or another consume is in progress.</exception>
    /// <exception cref="ObjectDisposedException">The reader is disposed.</exception>
    public int ConsumeAvailable(RingRecordHandler handler)
    {
        Acquire("consume");
        try
        {
            return Consume(handler);
        }
        finally
        {
            Release();
        }
    }

    private void Acquire(string what)
    {
        switch (Interlocked.CompareExchange(ref _state, Busy, Idle))
        {
            case Idle: return;
            case Disposed: throw new ObjectDisposedException(nameof(RingBufferReader));
            default: throw new InvalidOperationException($"cannot {what}: the ring buffer is being consumed (by RunAsync or another ConsumeAvailable); one consumer at a time");
        }
    }

    private void Release() => Volatile.Write(ref _state, Idle);

    private int Consume(RingRecordHandler handler)
    {
        _handler = handler;
        try
        {
            var n = LibBpf.RingBufferConsume(_ring.Pointer);
            if (n < 0) throw new BpfException(BpfException.Describe("consume ring buffer", -n), -n);
            return n;
        }
        finally
        {
            _handler = null;
        }
    }

    /// <summary>
    /// Consumes records on a dedicated thread until <paramref name="cancellationToken"/> is cancelled or the reader is
    /// disposed, then drains what is left and completes. The run owns the ring until it completes.
    /// </summary>
    /// <exception cref="InvalidOperationException">A run or a consume is in progress.</exception>
    /// <exception cref="ObjectDisposedException">The reader is disposed.</exception>
    public Task RunAsync(RingRecordHandler handler, CancellationToken cancellationToken)
    {
        Acquire("run");
        try
        {
            return Task.Factory.StartNew(() =>
            {
                try
                {
                    Run(handler, cancellationToken);
                }
                finally
                {
                    Release();
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch
        {
            Release();
            throw;
        }
    }

    private void Run(RingRecordHandler handler, CancellationToken cancellationToken)
    {
        var epoll = LibC.EpollCreate1(LibC.EPOLL_CLOEXEC);
        if (epoll < 0) throw new BpfException(BpfException.Describe("epoll_create1", Marshal.GetLastPInvokeError()));
        try
        {
            // libbpf's own epoll fd becomes readable when any of its rings has data; nesting it in ours lets the
            // eventfd wake the same wait for cancellation.
            Add(epoll, LibBpf.RingBufferEpollFd(_ring.Pointer), 0);
            Add(epoll, _wakeFd, 1);
            using var wake = cancellationToken.Register(Wake);
            var events = stackalloc LibC.EpollEvent[2];
            while (!cancellationToken.IsCancellationRequested && !_stopRequested)
            {
                var n = LibC.EpollWait(epoll, events, 2, _epollTimeoutMs);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == LibC.EINTR) continue;
                    throw new BpfException(BpfException.Describe("epoll_wait on ring buffer", errno), errno);
                }
                var stop = false;
                for (var i = 0; i < n; i++) stop |= events[i].Data == 1;
                if (stop) break;
                Consume(handler);
            }
            Consume(handler); // what arrived before the stop
        }
        finally
        {
            LibC.Close(epoll);
            ulong pending;
            LibC.Read(_wakeFd, &pending, sizeof(ulong)); // clear the wake-up so a later run does not stop at once
        }
    }

    private static void Add(int epoll, int fd, ulong data)
    {
        var ev = new LibC.EpollEvent { Events = LibC.EPOLLIN, Data = data };
        if (LibC.EpollCtl(epoll, LibC.EPOLL_CTL_ADD, fd, &ev) != 0)
            throw new BpfException(BpfException.Describe("epoll_ctl", Marshal.GetLastPInvokeError()));
    }

    private void Wake()
    {
        ulong one = 1;
        LibC.Write(_wakeFd, &one, sizeof(ulong));
    }

    [UnmanagedCallersOnly]
    private static int OnRecord(nint context, byte* data, nuint size)
    {
        if (GCHandle.FromIntPtr(context).Target is not RingBufferReader reader || reader._handler is not { } handler) return 0;
        try
        {
            handler(new ReadOnlySpan<byte>(data, (int)size));
            reader._consumed++;
        }
        catch (Exception e)
        {
            // Never let one bad record stop the reader (or unwind into libbpf, which would abort the process).
            reader._handlerFailures++;
            reader._lastHandlerError = e;
        }
        return 0;
    }

    /// <summary>
    /// Stops a running <see cref="RunAsync"/> and waits for it, or for an in-flight <see cref="ConsumeAvailable"/> on
    /// another thread, then frees the ring. Later calls do nothing.
    /// </summary>
    public void Dispose()
    {
        if (_ring is null) return; // the constructor failed before the ring existed
        _stopRequested = true; // seen by a run even if its thread has not reached epoll_wait yet
        if (_wakeFd >= 0 && Volatile.Read(ref _state) == Busy) Wake();
        var spin = new SpinWait();
        while (true)
        {
            var previous = Interlocked.CompareExchange(ref _state, Disposed, Idle);
            if (previous == Disposed) return;
            if (previous == Idle) break;
            spin.SpinOnce(); // a consumer holds the ring: its handlers run to the end of what is available
        }
        _ring.Dispose();
        if (_wakeFd >= 0) LibC.Close(_wakeFd);
        if (_self.IsAllocated) _self.Free();
    }

    private sealed class RingBufferHandle : SafeHandle
    {
        public RingBufferHandle(nint pointer) : base(0, ownsHandle: true) => SetHandle(pointer);

        public nint Pointer => IsClosed ? throw new ObjectDisposedException(nameof(RingBufferReader)) : handle;

        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle()
        {
            LibBpf.RingBufferFree(handle);
            return true;
        }
    }
}

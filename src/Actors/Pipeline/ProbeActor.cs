using System.Threading.Channels;
using Akka.Actor;
using Akka.Pattern;
using Ingrain.Actors.Edges;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors.Pipeline;

/// <summary>
/// Runs one probe under a <see cref="BackoffSupervisor"/> (on-failure mode, from the probe's <c>restart</c> block).
/// It attaches in <see cref="PreStart"/> (a failure there is retried with backoff, never given up on while
/// <c>max-retries = -1</c>), asks the topology where to send, then reads on the probe's own task: the probe writes
/// into a bounded channel (<see cref="ChannelSink"/>) and this actor alone takes batches out and sends them to every
/// pipeline head through one <see cref="Outbox"/> per head. It reads only while every backpressured head has room, so
/// slowness reaches the ring buffer, where the kernel counts the loss.
/// <para>A read loop that fails first sends on what was read, then fails the actor (so nothing read is lost).
/// <see cref="StopProbe"/> detaches, sends on the rest, and answers once all of it was acknowledged.</para>
/// </summary>
internal sealed class ProbeActor : ReceiveActor, IWithTimers
{
    private ProbeSpec _spec;
    private readonly ProbeContext _context;
    private readonly IActorRef _topology;
    private readonly int _batchSize;
    private readonly ILogger _logger;
    private readonly Channel<Measurement> _channel;
    private readonly CancellationTokenSource _stopping = new();
    // Cancelled only when the actor gives up on what the probe still emits (stop deadline, actor gone): until then a
    // stopping probe may still hand over what its ring holds, waiting for room like any other time.
    private readonly CancellationTokenSource _abandon = new();
    private readonly List<Outbox> _outboxes = [];
    private readonly List<Outbox> _retiring = [];
    private IActorRef? _rewireRequester;
    private IProbe? _probe;
    private bool _armed;
    private bool _detached;
    private IActorRef? _stopRequester;
    private Exception? _failure;
    private readonly KernelLossWarning _lossWarning;

    public ProbeActor(ProbeSpecCell spec, ProbeContext context, IActorRef topology, int batchSize)
    {
        _spec = spec.Spec; // read at every (re)start: the options the probe last accepted
        var name = _spec.Name;
        _context = context;
        _topology = topology;
        _batchSize = batchSize;
        _logger = context.LoggerFactory.CreateLogger($"ingrain.probes.{name}");
        _lossWarning = new KernelLossWarning(name, context.Counters, _logger, context.Time);
        _channel = Channel.CreateBounded<Measurement>(new BoundedChannelOptions(batchSize * 4) { SingleReader = true, SingleWriter = true });

        Receive<Rewire>(OnRewire);
        Receive<Ack>(ack =>
        {
            if (!AckIn(_outboxes, ack)) AckIn(_retiring, ack);
            Pump();
        });
        Receive<DataAvailable>(_ =>
        {
            _armed = false;
            Pump();
        });
        Receive<ProbeEnded>(OnEnded);
        Receive<CheckKernelLoss>(_ => _lossWarning.Check());
        Receive<ReconfigureProbe>(OnReconfigure);
        Receive<StopProbe>(stop =>
        {
            _stopRequester = Sender;
            Timers.StartSingleTimer("stop", StopDeadline.Instance, stop.Timeout);
            Detach();
            Pump();
        });
        Receive<ProbeDetached>(_ =>
        {
            _detached = true;
            Pump();
        });
        Receive<StopDeadline>(_ =>
        {
            var left = _outboxes.Concat(_retiring).Sum(o => o.Abandon()) + _channel.Reader.Count;
            _logger.LogWarning("probe {Probe}: stop deadline passed with {Batches} batch(es) not acknowledged; stopping", _spec.Name, left);
            _abandon.Cancel();
            Finish();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The probe actor under its backoff supervisor; the supervisor's ref is the probe's stable address.</summary>
    public static Props SupervisedProps(ProbeSpecCell spec, ProbeContext context, IActorRef topology, int batchSize = 256)
    {
        var child = Props.Create(() => new ProbeActor(spec, context, topology, batchSize));
        var r = spec.Spec.Restart;
        // Akka's default decider stops a child whose PreStart threw (ActorInitializationException), which would end
        // the retries: every failure, attach included, is a restart after the backoff.
        var options = Backoff.OnFailure(child, "probe", r.MinBackoff, r.MaxBackoff, r.RandomFactor, r.MaxRetries)
            .WithSupervisorStrategy(new OneForOneStrategy(-1, -1, _ => Directive.Restart, loggingEnabled: false))
            .WithReplyWhileStopped(ProbeStopped.Instance);
        if (r.ResetAfter > TimeSpan.Zero) options = options.WithAutoReset(r.ResetAfter);
        return BackoffSupervisor.Props(options);
    }

    protected override void PreStart()
    {
        if (_spec.Refused is { } refused)
        {
            // Not started, not retried: the kernel will not gain what the probe needs. Stops like any probe (nothing to send).
            _context.Counters.MarkNotAttached(refused);
            _logger.LogError("probe {Probe} ({Type}) not started: {Reason}; the rest of the topology runs", _spec.Name, _spec.Type.Name, refused);
            return;
        }
        try
        {
            _probe = _spec.Type.Create(_spec.Options, _context);
        }
        catch (Exception e)
        {
            _context.Counters.AddRestart();
            _context.Counters.MarkNotAttached(e.Message);
            // Once per failure, with the reason and no stack trace: the backoff decides how often that is.
            _logger.LogWarning("probe {Probe} ({Type}) could not attach: {Reason}; retrying with backoff (restarts so far: {Restarts})",
                _spec.Name, _spec.Type.Name, e.Message, _context.Counters.Restarts);
            throw new ProbeAttachException(_spec.Name, e);
        }
        _context.Counters.MarkAttached();
        Timers.StartPeriodicTimer("kernel-loss", CheckKernelLoss.Instance, TimeSpan.FromSeconds(1));
        _topology.Tell(new ProbeWantsTargets(_spec.Name));
    }

    protected override void PostStop()
    {
        // Normally detached by StopProbe; after a failure or an abrupt stop, detach without waiting (PostStop must not block).
        _abandon.Cancel();
        Detach(notify: false);
        _lossWarning.Check(final: true);
    }

    /// <summary>New settings offered in place: taken when the running probe can apply them without detaching.</summary>
    private void OnReconfigure(ReconfigureProbe m)
    {
        var applied = false;
        if (_probe is IReconfigurableProbe probe)
        {
            try
            {
                applied = probe.TryReconfigure(m.Spec.Options);
            }
            catch (Exception e)
            {
                _logger.LogWarning("probe {Probe}: its new settings could not be applied in place ({Reason}); replacing it", _spec.Name, e.Message);
            }
        }
        if (applied)
        {
            _spec = m.Spec;
            _logger.LogInformation("probe {Probe}: new settings applied in place, still attached", _spec.Name);
        }
        Sender.Tell(new ProbeReconfigured(_spec.Name, applied));
    }

    private void OnRewire(Rewire rewire)
    {
        var first = _outboxes.Count == 0 && _retiring.Count == 0 && _probe is not null && !_started;
        var keep = new List<Outbox>();
        foreach (var outbox in _outboxes)
        {
            if (rewire.Targets.Any(t => t.Target.Equals(outbox.Target))) keep.Add(outbox);
            else _retiring.Add(outbox);
        }
        foreach (var edge in rewire.Targets.Where(t => !keep.Any(o => o.Target.Equals(t.Target)))) keep.Add(new Outbox(edge, Self));
        _outboxes.Clear();
        _outboxes.AddRange(keep);
        if (!first) _rewireRequester = Sender;
        if (first) StartReading();
        Pump();
    }

    private bool _started;
    private Task _run = Task.CompletedTask;

    private void StartReading()
    {
        _started = true;
        var probe = _probe!;
        var sink = new ChannelSink(_channel.Writer, _abandon.Token);
        var token = _stopping.Token;
        var self = Self;
        _run = Task.Run(() => probe.RunAsync(sink, token), token).ContinueWith(t =>
        {
            _channel.Writer.TryComplete();
            var error = t.IsFaulted ? t.Exception!.GetBaseException() : null;
            self.Tell(new ProbeEnded(error is OperationCanceledException && token.IsCancellationRequested ? null : error));
        }, TaskScheduler.Default);
        _logger.LogInformation("probe {Probe} ({Type}) started", _spec.Name, _spec.Type.Name);
    }

    private void OnEnded(ProbeEnded ended)
    {
        if (_stopRequester is not null) return;
        if (ended.Error is null)
        {
            _logger.LogInformation("probe {Probe} finished", _spec.Name);
            Pump();
            return;
        }
        _failure = ended.Error;
        _context.Counters.AddRestart();
        _context.Counters.MarkNotAttached($"failed: {ended.Error.Message}; restarting");
        _logger.LogWarning("probe {Probe} failed: {Reason}; sending on what it read, then restarting with backoff", _spec.Name, ended.Error.Message);
        Pump();
    }

    /// <summary>Takes what the probe read while every head can accept more, and sends it on as batches.</summary>
    private void Pump()
    {
        while (AllAcceptMore() && _channel.Reader.TryRead(out var first))
        {
            var items = new List<Measurement>(Math.Min(_batchSize, _channel.Reader.Count + 1)) { first };
            while (items.Count < _batchSize && _channel.Reader.TryRead(out var m)) items.Add(m);
            var batch = new MeasurementBatch(items);
            foreach (var outbox in _outboxes) outbox.Send(batch);
            _context.Counters.AddEmitted(items.Count);
        }
        if (_started && !_armed && AllAcceptMore() && !_channel.Reader.Completion.IsCompleted)
        {
            _armed = true;
            _channel.Reader.WaitToReadAsync().AsTask().PipeTo(Self, success: _ => DataAvailable.Instance, failure: _ => DataAvailable.Instance);
        }
        CheckRetired();
        CheckDone();
    }

    // Plain loops: these run once per batch and per acknowledgement, on the probe's hot path.
    private bool AllAcceptMore()
    {
        if (_outboxes.Count == 0) return false;
        foreach (var outbox in _outboxes)
        {
            if (!outbox.AcceptsMore) return false;
        }
        return true;
    }

    private bool AckIn(List<Outbox> outboxes, Ack ack)
    {
        foreach (var outbox in outboxes)
        {
            if (outbox.Target.Equals(Sender) && outbox.OnAck(ack.Seq)) return true;
        }
        return false;
    }

    private void CheckRetired()
    {
        _retiring.RemoveAll(o => o.IsEmpty);
        if (_retiring.Count == 0 && _rewireRequester is { } requester)
        {
            _rewireRequester = null;
            requester.Tell(new ProbeRewired(_spec.Name));
        }
    }

    private void CheckDone()
    {
        var drained = _channel.Reader.Count == 0 && _outboxes.All(o => o.IsEmpty) && _retiring.Count == 0;
        if (!drained) return;
        if (_stopRequester is not null && _detached) Finish();
        else if (_failure is { } failure && _channel.Reader.Completion.IsCompleted) throw new ProbeFailedException(_spec.Name, failure);
    }

    private void Finish()
    {
        Timers.CancelAll();
        _stopRequester?.Tell(ProbeStopped.Instance);
        _stopRequester = null;
        Context.Stop(Self);
    }

    /// <param name="notify">Tell this actor <see cref="ProbeDetached"/> when done (not from PostStop: nobody would read it).</param>
    private void Detach(bool notify = true)
    {
        if (!_stopping.IsCancellationRequested) _stopping.Cancel();
        var probe = Interlocked.Exchange(ref _probe, null);
        if (probe is null)
        {
            if (notify) Self.Tell(ProbeDetached.Instance);
            return;
        }
        var self = Self;
        var logger = _logger;
        var name = _spec.Name;
        var dispose = probe.DisposeAsync().AsTask();
        // Detached once the programs are gone and the read loop has ended: what it emits until then is still sent on.
        Task.WhenAll(dispose, _run).ContinueWith(t =>
        {
            if (dispose.IsFaulted) logger.LogWarning("probe {Probe}: detaching failed: {Reason}", name, dispose.Exception!.GetBaseException().Message);
            if (notify) self.Tell(ProbeDetached.Instance);
        }, TaskScheduler.Default);
    }
}

using Ingrain.Actors.Pipeline;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors.Topology;

/// <summary>
/// The live actors of a <see cref="TopologySpec"/>: one actor per probe, and per pipeline a supervisor with one actor
/// per step plus one backend actor, chained by bounded mailboxes. A pipeline used by several probes is one instance. Reloads and
/// shutdown are serialized (one at a time), so concurrent SIGHUPs and file changes queue up.
/// </summary>
public sealed class RunningTopology : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, RunningPipeline> _pipelines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunningProbe> _probes = new(StringComparer.Ordinal);
    /// <summary>Instances a reload replaced and has not stopped yet; a reload cut short by shutdown leaves them to it.</summary>
    private readonly List<RunningPipeline> _retired = [];
    private int _generation;
    private bool _stopped;
    private Task _probesTerminated = Task.CompletedTask;

    private RunningTopology(ActorSystem system, TopologySpec spec)
    {
        _system = system;
        _logger = system.LoggerFactory.CreateLogger<RunningTopology>();
        Spec = spec;
    }

    /// <summary>The spec the running actors implement.</summary>
    public TopologySpec Spec { get; private set; }

    /// <summary>Starts every pipeline, then every probe (so nothing a probe emits finds its pipeline missing).</summary>
    public static RunningTopology Start(ActorSystem system, TopologySpec spec)
    {
        var topology = new RunningTopology(system, spec);
        // Start runs once, outside any actor, before anything feeds the pipelines: waiting here is safe.
        foreach (var pipeline in spec.Pipelines.Values)
            topology._pipelines[pipeline.Name] = topology.StartPipelineAsync(pipeline, Task.CompletedTask, awaitReady: false).GetAwaiter().GetResult();
        foreach (var probe in spec.Probes.Values) topology.StartProbe(probe);
        return topology;
    }

    /// <summary>The backoff supervisor of probe <paramref name="name"/> (stable across restarts of the probe itself).</summary>
    public IActorRef ProbeActor(string name) => _probes[name].Actor;

    /// <summary>The actors of pipeline <paramref name="name"/>: its steps in order, then its backend.</summary>
    public IReadOnlyList<IActorRef> PipelineActors(string name) => _pipelines[name].Actors;

    /// <summary>What probe <paramref name="name"/> emitted, skipped and lost, across its restarts.</summary>
    public ProbeCounters ProbeCounters(string name) => _probes[name].Counters;

    /// <summary>Counters of every running step and backend, by path (<c>ingrain.probes.exec</c>, <c>ingrain.pipelines.console.steps[0]</c>, …).</summary>
    public IReadOnlyDictionary<string, ComponentCounters> Counters()
    {
        var result = new SortedDictionary<string, ComponentCounters>(StringComparer.Ordinal);
        foreach (var pipeline in _pipelines.Values)
        {
            foreach (var (path, counters) in pipeline.Counters) result[path] = counters;
        }
        return result;
    }

    /// <summary>Status of every running component: its counters and its mailbox (queued and overflowed batches).</summary>
    public IReadOnlyList<ComponentStatus> Status()
    {
        var result = new List<ComponentStatus>();
        foreach (var (name, probe) in _probes) result.Add(new ComponentStatus($"ingrain.probes.{name}", probe.Counters.Snapshot()));
        foreach (var pipeline in _pipelines.Values)
        {
            for (var i = 0; i < pipeline.Actors.Count; i++) result.Add(StatusOf(pipeline.Counters[i].Path, pipeline.Counters[i].Counters, pipeline.Actors[i]));
        }
        return result;
    }

    // The edge into a step or backend is its mailbox: what waits there and what its overflow policy dropped.
    private static ComponentStatus StatusOf(string path, ComponentCounters c, IActorRef actor)
    {
        var mailbox = actor.GetMailboxStats();
        var own = c.Snapshot();
        var common = own.Take(4);
        KeyValuePair<string, long>[] edge = [new("queued-batches", mailbox.Count), new("dropped-batches", mailbox.Dropped)];
        return new ComponentStatus(path, [.. common, .. edge, .. own.Skip(4)]);
    }

    /// <summary>
    /// Turns the running topology into <paramref name="next"/>, touching only what changed. Returns the diff applied.
    /// Unchanged probes stay attached and unchanged pipelines keep their actors, mailboxes and buffered data.
    /// </summary>
    /// <exception cref="PipelineStartException">A new or changed pipeline failed to start: nothing was changed (the
    /// new instances were stopped, the running ones kept).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> (the agent is stopping) was
    /// cancelled: the reload is abandoned at once — rolled back if nothing was swapped yet, else the pipelines it
    /// replaced are left for the shutdown to drain and stop.</exception>
    public async Task<TopologyDiff> ApplyAsync(TopologySpec next, TimeSpan drainTimeout, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_stopped) throw new InvalidOperationException("the topology is shutting down; reload refused");
            var diff = TopologyDiff.Between(Spec, next);
            if (diff.AgentChanged) _logger.LogWarning("agent settings changed; they take effect at the next restart");

            // Start new and changed pipelines first, beside the old instances: until probes are wired to them nothing
            // flows in, so if one cannot start the reload is rolled back with the running topology untouched.
            // A new backend opens its writer only once the retired instances with a backend of its type have closed
            // theirs: the same destination (an S3 spool's lock, a file) is never open twice.
            var retiring = diff.Pipelines.ToRemove.Concat(diff.Pipelines.ToChange).Select(name => _pipelines[name]).ToArray();
            var started = new Dictionary<string, RunningPipeline>(StringComparer.Ordinal);
            try
            {
                foreach (var name in diff.Pipelines.ToAdd.Concat(diff.Pipelines.ToChange))
                {
                    var spec = next.Pipelines[name];
                    var predecessors = Task.WhenAll(retiring.Where(p => p.Spec.Backend.Type.Name == spec.Backend.Type.Name).Select(p => p.Closed));
                    started[name] = await StartPipelineAsync(spec, predecessors, awaitReady: true, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e)
            {
                await Task.WhenAll(started.Values.Select(StopPipelineAsync)).ConfigureAwait(false);
                if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
                    _logger.LogWarning("reload abandoned: the agent is stopping; the running topology is unchanged");
                else _logger.LogError(e, "reload rolled back: a new pipeline could not start; the running topology is unchanged");
                throw;
            }

            // Then stop removed and changed probes, so nothing new flows into pipelines that are going away.
            foreach (var name in diff.Probes.ToRemove.Concat(diff.Probes.ToChange)) await StopProbeAsync(name, cancellationToken).ConfigureAwait(false);

            // Swap in the new pipeline instances; the old ones are drained below.
            var retired = new List<RunningPipeline>();
            foreach (var name in diff.Pipelines.ToRemove.Concat(diff.Pipelines.ToChange))
            {
                retired.Add(_pipelines[name]);
                _pipelines.Remove(name);
            }
            lock (_retired) _retired.AddRange(retired);
            foreach (var (name, pipeline) in started) _pipelines[name] = pipeline;

            // Unchanged probes whose destinations moved keep running; only their wiring changes. A rewire completes
            // once no send to the old heads is still running (a probe blocked on a slow first pipeline would otherwise
            // reach a retired head after its Drain, and that batch would be lost).
            var rewires = new List<Task>();
            foreach (var name in diff.ProbesToRewire)
            {
                var probe = _probes[name];
                rewires.Add(probe.Wiring.RewireAsync(Heads(next.Probes[name].Pipelines)));
                _probes[name] = probe with { Spec = next.Probes[name] };
            }
            foreach (var name in diff.Probes.ToAdd.Concat(diff.Probes.ToChange)) StartProbe(next.Probes[name]);
            foreach (var (name, spec) in next.Probes)
            {
                if (!diff.Probes.ToAdd.Contains(name) && !diff.Probes.ToChange.Contains(name)) _probes[name] = _probes[name] with { Spec = spec };
            }

            await Task.WhenAll(rewires).WaitAsync(cancellationToken).ConfigureAwait(false);

            // Nothing sends to the retired pipelines any more: drain what they hold into their own backends, then stop them.
            await Task.WhenAll(retired.Select(p => DrainAndStopAsync(p, drainTimeout, cancellationToken))).ConfigureAwait(false);

            Spec = next with { Agent = Spec.Agent };
            if (diff.IsEmpty) _logger.LogInformation("configuration reloaded: nothing changed");
            else _logger.LogInformation("topology reloaded: {Diff}", diff);
            return diff;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Graceful stop in one call: <see cref="StopProbesAsync"/>, <see cref="DrainPipelinesAsync"/>,
    /// <see cref="StopPipelinesAsync"/>. Returns false when <paramref name="timeout"/> was reached first (what was not
    /// done by then is abandoned).
    /// </summary>
    public async Task<bool> ShutdownAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout, _system.TimeProvider);
        var started = _system.TimeProvider.GetTimestamp();
        try
        {
            await StopProbesAsync(cancel.Token).ConfigureAwait(false);
            var left = timeout - _system.TimeProvider.GetElapsedTime(started);
            await DrainPipelinesAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancel.Token).ConfigureAwait(false);
            await StopPipelinesAsync(cancel.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("shutdown did not finish within {Timeout}", timeout);
            return false;
        }
    }

    /// <summary>Registers the three shutdown steps in the actor system's coordinated-shutdown phases.</summary>
    public void RegisterShutdown(CoordinatedShutdown shutdown)
    {
        var drainTimeout = shutdown.Phases.First(p => p.Name == CoordinatedShutdown.PhaseDrainPipelines).Timeout;
        shutdown.AddTask(CoordinatedShutdown.PhaseStopProbes, "stop-probes", StopProbesAsync);
        shutdown.AddTask(CoordinatedShutdown.PhaseDrainPipelines, "drain-pipelines", ct => DrainPipelinesAsync(drainTimeout, ct));
        shutdown.AddTask(CoordinatedShutdown.PhaseFlushBackends, "stop-pipelines", StopPipelinesAsync);
    }

    /// <summary>Shutdown, first: every probe detaches, so no new data enters. Reloads are refused from now on.</summary>
    public async Task StopProbesAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _stopped = true;
            var stopping = _probes.Keys.ToArray().Select(name => StopProbeAsync(name, cancellationToken)).ToArray();
            // Not bounded by this phase: the drain waits for every probe actor to have terminated (see DrainPipelinesAsync).
            _probesTerminated = Task.WhenAll(stopping);
            await _probesTerminated.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Shutdown, second: every pipeline is drained — steps flush (buffers emit what they aggregated) and
    /// backends flush their writers — and this completes when every backend has written everything. Backends get
    /// until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task DrainPipelinesAsync(CancellationToken cancellationToken) => DrainPipelinesAsync(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>
    /// <see cref="DrainPipelinesAsync(CancellationToken)"/> within <paramref name="timeout"/>: the backends' writers
    /// are cut short after <see cref="WriterShareOfDrain"/> of it (or when <paramref name="cancellationToken"/> is
    /// cancelled, whichever comes first) and keep what they could not send — S3 spools it — so the drain still
    /// completes in time.
    /// </summary>
    public async Task DrainPipelinesAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // A probe that outlived the stop-probes phase may still emit: a Drain sent before its actor terminated would
        // overtake what it emits after. So the drain starts only once every probe actor has terminated.
        var started = _system.TimeProvider.GetTimestamp();
        await _probesTerminated.WaitAsync(cancellationToken).ConfigureAwait(false);
        var retired = Retired();
        var pipelines = _pipelines.Values.Concat(retired).ToArray();
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            var left = timeout - _system.TimeProvider.GetElapsedTime(started);
            foreach (var p in pipelines) p.Deadline.CancelAfter(left > TimeSpan.Zero ? left * WriterShareOfDrain : TimeSpan.Zero);
        }
        await using var cancelWriters = cancellationToken.Register(() => CutShort(pipelines));
        // Instances a cut-short reload retired go first, and are stopped: the instances replacing them open their
        // writers only once these have closed theirs, so draining both at once would hold the new ones until the deadline.
        await Task.WhenAll(retired.Select(p => DrainAsync(p, cancellationToken))).ConfigureAwait(false);
        await Task.WhenAll(retired.Select(async p =>
        {
            await StopPipelineAsync(p).ConfigureAwait(false);
            lock (_retired) _retired.Remove(p);
        })).WaitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(_pipelines.Values.ToArray().Select(p => DrainAsync(p, cancellationToken))).ConfigureAwait(false);
    }

    private static async Task DrainAsync(RunningPipeline pipeline, CancellationToken cancellationToken)
    {
        var drain = Drain.Create();
        await Mailboxes.SendControlAsync(pipeline.Actors[0], drain, null, cancellationToken).ConfigureAwait(false);
        await drain.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Shutdown, last: stops the pipeline actors; backend writers are closed as their actors stop (an S3
    /// writer spools what it still holds).</summary>
    public async Task StopPipelinesAsync(CancellationToken cancellationToken)
    {
        var pipelines = _pipelines.Values.Concat(Retired()).ToArray();
        _pipelines.Clear();
        lock (_retired) _retired.Clear();
        await Task.WhenAll(pipelines.Select(StopPipelineAsync)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Part of a drain's time the backends' writers may use; the rest lets them spool and complete it.</summary>
    private const double WriterShareOfDrain = 0.8;

    private static void CutShort(IEnumerable<RunningPipeline> pipelines)
    {
        foreach (var p in pipelines) p.Deadline.Cancel();
    }

    /// <summary>Stops a pipeline: its backend gives up any send still running (so its actor can stop), closes its
    /// writer in PostStop, and <see cref="RunningPipeline.Closed"/> completes.</summary>
    private async Task StopPipelineAsync(RunningPipeline pipeline)
    {
        try
        {
            await pipeline.Deadline.CancelAsync().ConfigureAwait(false);
            await TerminationWatcher.StopAsync(_system, pipeline.Supervisor).ConfigureAwait(false);
        }
        finally
        {
            pipeline.ClosedSource.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync() => await ShutdownAsync(Spec.Agent.ShutdownTimeout).ConfigureAwait(false);

    /// <summary>
    /// Starts a pipeline under its own <see cref="PipelineSupervisor"/>; completes once its actors exist, and with
    /// <paramref name="awaitReady"/> once every one of them started — throwing <see cref="PipelineStartException"/>
    /// (after stopping the new instance) when one failed to.
    /// </summary>
    private async Task<RunningPipeline> StartPipelineAsync(PipelineSpec spec, Task predecessors, bool awaitReady, CancellationToken cancellationToken = default)
    {
        var paths = spec.Steps.Select(s => s.Path).Append(spec.Backend.Path).ToArray();
        var counters = paths.Select(_ => new ComponentCounters()).ToArray();
        var context = new BackendContext(_system.LoggerFactory, _system.TimeProvider);
        var deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _system.TimeProvider);
        var lifetime = new BackendLifetime(deadline.Token, predecessors);
        var startup = new PipelineStartup();
        var supervisor = _system.ActorOf(PipelineSupervisor.Props(spec, context, lifetime, counters, startup), $"pipeline-{spec.Name}-{++_generation}");
        IReadOnlyList<IActorRef> actors;
        try
        {
            actors = await startup.Actors.WaitAsync(StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await TerminationWatcher.StopAsync(_system, supervisor).ConfigureAwait(false);
            throw;
        }
        var pipeline = new RunningPipeline(spec, supervisor, actors, paths.Zip(counters).ToArray(), deadline);
        if (!awaitReady)
        {
            // At start-up a failing component is simply restarted with backoff; nobody waits for it.
            _ = startup.Ready.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            return pipeline;
        }
        try
        {
            await startup.Ready.WaitAsync(StartTimeout, cancellationToken).ConfigureAwait(false);
            return pipeline;
        }
        catch (Exception e)
        {
            await StopPipelineAsync(pipeline).ConfigureAwait(false);
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested) throw;
            throw e as PipelineStartException ?? new PipelineStartException($"ingrain.pipelines.{spec.Name}", e);
        }
    }

    private void StartProbe(ProbeSpec spec)
    {
        var wiring = new ProbeWiring(Heads(spec.Pipelines));
        var counters = new ProbeCounters();
        var context = new ProbeContext(spec.Name, _system.LoggerFactory, _system.TimeProvider, counters);
        var actor = _system.ActorOf(Pipeline.ProbeActor.SupervisedProps(spec, wiring, context, counters), $"probe-{spec.Name}-{++_generation}");
        _probes[spec.Name] = new RunningProbe(spec, actor, wiring, counters);
    }

    /// <summary>How long a new pipeline may take to create (and, on reload, start) its actors.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private IReadOnlyList<IActorRef> Heads(IEnumerable<string> pipelines) => pipelines.Select(p => _pipelines[p].Actors[0]).ToArray();

    /// <summary>How long a probe may take to detach at most; the caller's token (a shutdown phase's) usually ends it sooner.</summary>
    private static readonly TimeSpan ProbeStopTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Detaches a probe within <paramref name="cancellationToken"/> (and at most <see cref="ProbeStopTimeout"/>)
    /// and completes once its actor has terminated, i.e. once it no longer emits.</summary>
    private async Task StopProbeAsync(string name, CancellationToken cancellationToken)
    {
        var probe = _probes[name];
        _probes.Remove(name);
        try
        {
            // The supervisor forwards this to the running probe (or answers itself while the probe waits for a restart).
            await probe.Actor.Ask<ProbeStopped>(new StopProbe(cancellationToken), ProbeStopTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("probe {Probe} did not detach in time; stopping it (it finishes detaching as it stops)", name);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "probe {Probe} did not detach cleanly; stopping it", name);
        }
        await TerminationWatcher.StopAsync(_system, probe.Actor).ConfigureAwait(false);
    }

    /// <summary>Drains a retired pipeline and stops it. Cancelled (the agent is stopping), it stays in
    /// <see cref="_retired"/> for the shutdown to drain and stop within its own deadline.</summary>
    private async Task DrainAndStopAsync(RunningPipeline pipeline, TimeSpan timeout, CancellationToken cancellationToken)
    {
        pipeline.Deadline.CancelAfter(timeout * WriterShareOfDrain);
        var drain = Drain.Create();
        await Mailboxes.SendControlAsync(pipeline.Actors[0], drain, null, cancellationToken).ConfigureAwait(false);
        if (await Task.WhenAny(drain.Done.Task, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false) != drain.Done.Task)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _logger.LogWarning("pipeline {Pipeline} did not drain within {Timeout}; stopping it anyway", pipeline.Spec.Name, timeout);
        }
        await StopPipelineAsync(pipeline).ConfigureAwait(false);
        lock (_retired) _retired.Remove(pipeline);
    }

    private RunningPipeline[] Retired()
    {
        lock (_retired) return [.. _retired];
    }

    /// <param name="Deadline">Cancelled when the pipeline's backend must be done (<see cref="BackendLifetime.Deadline"/>).</param>
    private sealed record RunningPipeline(PipelineSpec Spec, IActorRef Supervisor, IReadOnlyList<IActorRef> Actors,
        IReadOnlyList<(string Path, ComponentCounters Counters)> Counters, CancellationTokenSource Deadline)
    {
        public TaskCompletionSource ClosedSource { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes once the pipeline has stopped and its backend closed its writer.</summary>
        public Task Closed => ClosedSource.Task;
    }

    private sealed record RunningProbe(ProbeSpec Spec, IActorRef Actor, ProbeWiring Wiring, ProbeCounters Counters);
}

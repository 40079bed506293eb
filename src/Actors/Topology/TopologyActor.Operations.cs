using Akka.Actor;
using Ingrain.Actors.Edges;
using Ingrain.Actors.Pipeline;
using Ingrain.Actors.Topology.SelfMetrics;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors.Topology;

/// <summary>The operations of <see cref="TopologyActor"/>: each yields the answers it waits for, one step at a time.</summary>
internal sealed partial class TopologyActor
{
    private IEnumerable<Wait> StartOperation()
    {
        var started = new List<RunningPipeline>();
        foreach (var spec in _spec.Pipelines.Values) started.Add(CreatePipeline(spec, waitForPredecessors: false));
        yield return Created(started);
        foreach (var p in started) _pipelines[p.Spec.Name] = p;
        foreach (var spec in _spec.Probes.Values) StartProbe(spec);
        if (_spec.Agent.SelfMetrics is { } selfMetrics)
        {
            // Agent settings: kept from the start until a restart, whatever a reload says.
            _selfMetrics = new SelfMetricsFeed();
            StartProbe(new SelfMetricsProbeModule(_selfMetrics).Spec(selfMetrics));
            Timers.StartPeriodicTimer("self-metrics", PublishSelfMetrics.Instance, selfMetrics.Interval);
        }
        _requester.Tell(TopologyStarted.Instance);
    }

    private IEnumerable<Wait> ApplyOperation(TopologySpec next, TimeSpan drainTimeout)
    {
        var diff = TopologyDiff.Between(_spec, next);
        if (diff.AgentChanged) _logger.LogWarning("agent settings changed; they take effect at the next restart");

        // 1. New and changed pipelines start beside the old instances; nothing flows into them before the rewire, so a
        //    component that cannot start rolls the reload back with the running topology untouched. A backend whose
        //    type a retiring instance has opens only once that one closed (the same spool or file is never open twice).
        var retiring = diff.Pipelines.ToRemove.Concat(diff.Pipelines.ToChange).Select(n => _pipelines[n]).ToArray();
        var started = diff.Pipelines.ToAdd.Concat(diff.Pipelines.ToChange)
            .Select(n => CreatePipeline(next.Pipelines[n], retiring.Any(r => r.Spec.Backend.Type.Name == next.Pipelines[n].Backend.Type.Name)))
            .ToList();
        // Each new instance answers twice, in any order relative to the others: created (its head), then ready or failed.
        var created = Created(started);
        var ready = new Wait("starting pipelines", started.SelectMany(p => new[] { Key(p), Key(p) + ":created" }), StartTimeout, (s, m) => m switch
        {
            PipelineCreated c when created.Offer(s, c) => $"{c.Pipeline}#{c.Generation}:created",
            PipelineReady r => $"{r.Pipeline}#{r.Generation}",
            PipelineStartFailed f => $"{f.Pipeline}#{f.Generation}",
            _ => null,
        });
        yield return ready;
        var failure = ready.Answers.Values.OfType<PipelineStartFailed>().FirstOrDefault();
        if (failure is not null || ready.TimedOut)
        {
            foreach (var p in started) Context.Stop(p.Actor);
            yield return Terminations("rolling back", started.Select(p => p.Actor));
            var error = failure is not null
                ? new PipelineStartException(failure.Component, failure.Reason)
                : new PipelineStartException(ready.Pending.First(), $"did not start within {StartTimeout}");
            _logger.LogError("reload rolled back: {Reason}; the running topology is unchanged", error.Message);
            _requester.Tell(new Status.Failure(error));
            yield break;
        }

        // 2. Now that nothing rolls the reload back: changed probes of the same type and restart block are offered their
        //    new settings in place (the files probe rewrites its monitored set); those that take them stay attached (a
        //    later restart uses them) and are neither stopped nor replaced below. Then removed and changed probes stop
        //    (sending on everything they read), so nothing new reaches a leaving pipeline — except changed probes that
        //    can run side by side: they are replaced make-before-break in step 5.
        var offered = diff.Probes.ToChange.Where(n => _probes[n].Spec.Type.Name == next.Probes[n].Type.Name
            && _probes[n].Spec.Restart == next.Probes[n].Restart).ToArray();
        foreach (var name in offered) _probes[name].Actor.Tell(new ReconfigureProbe(next.Probes[name]));
        var reconfigured = new Wait("offering probes their new settings", offered, ReconfigureTimeout,
            (_, m) => m is ProbeReconfigured r && offered.Contains(r.Probe) ? r.Probe : null);
        yield return reconfigured;
        var inPlace = reconfigured.Answers.Values.OfType<ProbeReconfigured>().Where(r => r.Applied).Select(r => r.Probe).ToHashSet(StringComparer.Ordinal);
        foreach (var name in inPlace) _probes[name].Cell.Spec = next.Probes[name];
        var changed = diff.Probes.ToChange.Where(n => !inPlace.Contains(n)).ToArray();
        var sideBySide = changed.Where(n => next.Probes[n].Type.CanRunSideBySide).ToHashSet(StringComparer.Ordinal);
        var stopFirst = diff.Probes.ToRemove.Concat(changed.Where(n => !sideBySide.Contains(n))).ToArray();
        foreach (var wait in StopProbes(stopFirst, ProbeStopTimeout)) yield return wait;

        // 3. Swap: the new instances take the names; the replaced ones retire.
        foreach (var p in retiring)
        {
            _pipelines.Remove(p.Spec.Name);
            _retired.Add(p);
        }
        foreach (var p in started) _pipelines[p.Spec.Name] = p;
        _spec = next;

        // 4. Probes that stay but whose pipelines changed are rewired; each answers once nothing it sent to a replaced
        //    head is unacknowledged.
        var rewired = new List<string>();
        foreach (var (name, probe) in _probes)
        {
            var targets = Targets(next.Probes.GetValueOrDefault(name) ?? probe.Spec);
            if (targets.Select(t => t.Target).SequenceEqual(probe.Targets.Select(t => t.Target))) continue;
            probe.Targets = targets;
            probe.Actor.Tell(new Rewire(targets));
            rewired.Add(name);
        }
        yield return new Wait("rewiring probes", rewired, ProbeStopTimeout, ProbeAnswer<ProbeRewired>());

        // 5. New and changed probes start. A changed probe that can run side by side keeps its old instance (rewired
        //    above like any other) until the new one has attached, so no event goes unseen between the two.
        var replaced = sideBySide.Select(n => _probes[n]).ToArray();
        foreach (var name in diff.Probes.ToAdd.Concat(changed)) StartProbe(next.Probes[name]);
        if (replaced.Length > 0)
        {
            var attached = new Wait("attaching changed probes", sideBySide, ProbeAttachTimeout, (sender, m) =>
                m is ProbeWantsTargets w && sideBySide.Contains(w.Probe) && _probes[w.Probe].Actor.Path.Equals(sender.Path.Parent) ? w.Probe : null);
            yield return attached;
            foreach (var name in attached.Pending)
                _logger.LogWarning("probe {Probe}: its new settings did not attach within {Timeout}; stopping the old instance anyway, " +
                    "so the probe sees nothing until the new one attaches (its status says why)", name, ProbeAttachTimeout);
            foreach (var wait in StopInstances(replaced, ProbeStopTimeout, forget: false)) yield return wait;
        }

        // 6. The retired instances drain and close; then the backends waiting for them open.
        foreach (var wait in DrainAndClose(retiring, drainTimeout)) yield return wait;
        foreach (var p in started.Where(p => p.WaitsForPredecessors)) p.Actor.Tell(PredecessorsClosed.Instance);

        _logger.LogInformation("reload applied: {Diff}", diff);
        _requester.Tell(new TopologyApplied(diff));
    }

    private IEnumerable<Wait> StopProbesOperation(TimeSpan timeout)
    {
        _stopping = true;
        var deadline = _time.GetTimestamp();
        foreach (var (name, probe) in _probes) _stoppedProbes[name] = probe;
        foreach (var wait in StopProbes(_probes.Keys.Where(n => n != SelfMetricsProbeModule.ProbeName).ToArray(), timeout)) yield return wait;
        if (_selfMetrics is not null && _probes.ContainsKey(SelfMetricsProbeModule.ProbeName))
        {
            // Self-metrics stop last, sending the counts of the last interval (every other probe stopped by now).
            Timers.Cancel("self-metrics");
            _selfMetrics.Publish(Status().Components);
            var left = timeout - _time.GetElapsedTime(deadline);
            foreach (var wait in StopProbes([SelfMetricsProbeModule.ProbeName], left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1)))
                yield return wait;
        }
        _requester.Tell(new ShutdownStepDone(_time.GetElapsedTime(deadline) < timeout));
    }

    private IEnumerable<Wait> DrainOperation(TimeSpan timeout)
    {
        var all = _pipelines.Values.Concat(_retired).ToArray();
        foreach (var p in all) p.Deadline.CancelAfter(timeout * WriterShareOfDrain);
        foreach (var p in all) p.Head!.Tell(new Drain(Self, Key(p)));
        var drained = new Wait("draining pipelines", all.Select(Key), timeout, (_, m) => m is Drained d ? d.Pipeline : null);
        yield return drained;
        _requester.Tell(new ShutdownStepDone(!drained.TimedOut));
    }

    private IEnumerable<Wait> StopPipelinesOperation(TimeSpan timeout)
    {
        var all = _pipelines.Values.Concat(_retired).ToArray();
        // Past the drain, writers stop sending at once and keep what is left (S3 spools it).
        foreach (var p in all) p.Deadline.Cancel();
        foreach (var p in all) p.Actor.Tell(ClosePipeline.Instance);
        var closed = Terminations("closing pipelines", all.Select(p => p.Actor), timeout);
        yield return closed;
        // Every counter of every component, for the operator, once nothing moves any more.
        foreach (var status in Status().Components) _logger.LogInformation("status: {Status}", status);
        foreach (var p in all)
        {
            Context.Stop(p.Actor);
            p.Deadline.Dispose();
        }
        _pipelines.Clear();
        _retired.Clear();
        _requester.Tell(new ShutdownStepDone(!closed.TimedOut));
    }

    private IEnumerable<Wait> StopProbes(IReadOnlyList<string> names, TimeSpan timeout) =>
        StopInstances(names.Select(n => _probes[n]).ToArray(), timeout, forget: true);

    /// <param name="forget">Remove them from the running probes (false: a new instance already took their name).</param>
    private IEnumerable<Wait> StopInstances(IReadOnlyList<RunningProbe> probes, TimeSpan timeout, bool forget)
    {
        foreach (var p in probes) p.Actor.Tell(new StopProbe(timeout));
        yield return new Wait("stopping probes", probes.Select(p => p.Spec.Name), timeout + TimeSpan.FromSeconds(1), ProbeAnswer<ProbeStopped>(probes));
        foreach (var p in probes)
        {
            Context.Stop(p.Actor);
            if (forget) _probes.Remove(p.Spec.Name);
        }
        yield return Terminations("stopping probe supervisors", probes.Select(p => p.Actor));
    }

    private IEnumerable<Wait> DrainAndClose(IReadOnlyList<RunningPipeline> pipelines, TimeSpan timeout)
    {
        foreach (var p in pipelines)
        {
            p.Deadline.CancelAfter(timeout * WriterShareOfDrain);
            p.Head!.Tell(new Drain(Self, Key(p)));
        }
        yield return new Wait("draining replaced pipelines", pipelines.Select(Key), timeout, (_, m) => m is Drained d ? d.Pipeline : null);
        foreach (var p in pipelines) p.Actor.Tell(ClosePipeline.Instance);
        yield return Terminations("closing replaced pipelines", pipelines.Select(p => p.Actor), timeout);
        foreach (var p in pipelines)
        {
            Context.Stop(p.Actor);
            _retired.Remove(p);
            p.Deadline.Dispose();
        }
    }

    private RunningPipeline CreatePipeline(PipelineSpec spec, bool waitForPredecessors)
    {
        var generation = ++_generation;
        var wiring = PipelineWiring.For(spec);
        var deadline = new CancellationTokenSource();
        var actor = Context.ActorOf(PipelineActor.Props(spec, generation, Self, wiring, _backendContext, deadline.Token, waitForPredecessors),
            $"pipeline-{spec.Name}-{generation}");
        Context.Watch(actor);
        return new RunningPipeline(spec, generation, actor, wiring, deadline) { WaitsForPredecessors = waitForPredecessors };
    }

    /// <summary>Waits for each new pipeline to say where its head is.</summary>
    private Wait Created(IReadOnlyList<RunningPipeline> pipelines) =>
        new("creating pipelines", pipelines.Select(Key), StartTimeout, (_, m) =>
        {
            if (m is not PipelineCreated c) return null;
            var p = pipelines.FirstOrDefault(p => p.Spec.Name == c.Pipeline && p.Generation == c.Generation);
            if (p is null) return null;
            p.Head = c.Head;
            return Key(p);
        });

    private void StartProbe(ProbeSpec spec)
    {
        var counters = new ProbeCounters();
        var context = new ProbeContext(spec.Name, _loggerFactory, _time, counters);
        var cell = new ProbeSpecCell(spec);
        var actor = Context.ActorOf(ProbeActor.SupervisedProps(cell, context, Self), $"probe-{spec.Name}-{++_generation}");
        Context.Watch(actor);
        _probes[spec.Name] = new RunningProbe(cell, actor, counters) { Targets = Targets(spec) };
    }

    private IReadOnlyList<Edge> Targets(ProbeSpec spec)
    {
        // Only self-metrics may name a pipeline a reload removed (its settings stay those of the start); the compiler
        // checks every probe's against its own file.
        foreach (var gone in spec.Pipelines.Where(p => !_pipelines.ContainsKey(p)))
            _logger.LogWarning("{Probe}: pipeline {Pipeline} no longer exists; nothing is sent there until a restart", spec.Name, gone);
        return spec.Pipelines.Where(_pipelines.ContainsKey).Select(p => _pipelines[p].HeadEdge).ToArray();
    }

    /// <summary>Matches an answer from a probe's supervisor, or from the probe actor under it, to the probe's name.</summary>
    /// <param name="among">The instances asked (default: the running probes at the time of the answer).</param>
    private Func<IActorRef, object, string?> ProbeAnswer<T>(IReadOnlyList<RunningProbe>? among = null) => (sender, message) =>
    {
        var probes = among ?? (IEnumerable<RunningProbe>)_probes.Values;
        // A probe that stopped (its supervisor terminated) answers too: it sends nothing any more. Akka processes
        // Terminated before user messages, so it may come before the ProbeStopped the probe sent first.
        if (message is Terminated t) return probes.FirstOrDefault(p => p.Actor.Equals(t.ActorRef))?.Spec.Name;
        if (message is not (T or ProbeStopped)) return null;
        return probes.FirstOrDefault(p => p.Actor.Equals(sender) || p.Actor.Path.Equals(sender.Path.Parent))?.Spec.Name;
    };

    private Wait Terminations(string what, IEnumerable<IActorRef> actors, TimeSpan? timeout = null) =>
        new(what, actors.Select(a => a.Path.ToString()).Where(path => !_dead.Contains(path)), timeout ?? StartTimeout,
            (_, m) => m is Terminated t ? t.ActorRef.Path.ToString() : null);

    private static string Key(RunningPipeline p) => $"{p.Spec.Name}#{p.Generation}";
}

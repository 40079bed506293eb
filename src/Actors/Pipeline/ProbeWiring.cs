namespace Ingrain.Actors.Pipeline;

/// <summary>
/// Where a probe sends: the heads of the pipelines it feeds. Shared by the probe actor's incarnations and changed in
/// place on reload ("rewire"), so a probe stays attached while its destinations change.
/// <para>A send holds a <see cref="Lease"/> on the targets it read for its whole loop over them (it may block on a
/// full head). <see cref="RewireAsync"/> swaps the targets and completes only once every send that started on the
/// old ones has finished: after it, nothing more reaches a replaced head, so draining that pipeline loses nothing.</para>
/// </summary>
public sealed class ProbeWiring(IReadOnlyList<IActorRef> targets)
{
    private volatile Generation _current = new(targets.ToArray());

    public IReadOnlyList<IActorRef> Targets => _current.Targets;

    /// <summary>Takes the current targets for one send; dispose the lease when every target has been told.</summary>
    public Lease Acquire()
    {
        while (true)
        {
            var generation = _current;
            generation.Enter();
            if (ReferenceEquals(generation, _current)) return new Lease(generation);
            generation.Exit(); // rewired meanwhile: take the new targets
        }
    }

    /// <summary>Sends go to <paramref name="targets"/> from now on; completes when no send to the old targets is running.</summary>
    public Task RewireAsync(IReadOnlyList<IActorRef> targets, CancellationToken cancellationToken = default)
    {
        var old = _current;
        _current = new Generation(targets.ToArray());
        return old.RetireAsync().WaitAsync(cancellationToken);
    }

    /// <summary>The targets one send uses; disposing it ends the send.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly Generation _generation;

        internal Lease(Generation generation) => _generation = generation;

        public IActorRef[] Targets => _generation.Targets;

        public void Dispose() => _generation.Exit();
    }

    internal sealed class Generation(IActorRef[] targets)
    {
        private readonly TaskCompletionSource _quiet = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _sending;
        private int _retired;

        public IActorRef[] Targets { get; } = targets;

        public void Enter() => Interlocked.Increment(ref _sending);

        public void Exit()
        {
            if (Interlocked.Decrement(ref _sending) == 0 && Volatile.Read(ref _retired) == 1) _quiet.TrySetResult();
        }

        public Task RetireAsync()
        {
            // Interlocked on both sides: either the last Exit sees the retirement or this sees no send running.
            Interlocked.Exchange(ref _retired, 1);
            if (Volatile.Read(ref _sending) == 0) _quiet.TrySetResult();
            return _quiet.Task;
        }
    }
}

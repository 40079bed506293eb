namespace Ingrain.Actors.Pipeline;

/// <summary>
/// Where a probe sends: the heads of the pipelines it feeds. Shared by the probe actor's incarnations and changed in
/// place on reload ("rewire"), so a probe stays attached while its destinations change.
/// </summary>
public sealed class ProbeWiring(IReadOnlyList<IActorRef> targets)
{
    private volatile IActorRef[] _targets = targets.ToArray();

    public IReadOnlyList<IActorRef> Targets => _targets;

    public void Rewire(IReadOnlyList<IActorRef> targets) => _targets = targets.ToArray();
}

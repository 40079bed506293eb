using Ingrain.Probes.Synthetic;
using Ingrain.Steps.Exec;

namespace Ingrain.Actors.Tests;

/// <summary>The modules topology tests compile against: every step, the console and file backends, the synthetic probe.</summary>
internal static class Builtins
{
    public static IReadOnlyList<IComponentModule> Modules() =>
    [
        new AddSystemDetailsModule(), new WhitelistModule(), new RegexModule(), new FilterModule(), new ExecModule(),
        new ContainerModule(), new BufferModule(),
        new ConsoleBackendModule(), new FileBackendModule(),
        new SyntheticProbeModule(),
    ];

    public static ModuleRegistry CreateRegistry() => new(Modules());
}

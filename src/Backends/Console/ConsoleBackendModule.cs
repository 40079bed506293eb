using Ingrain.Model.Json;

namespace Ingrain.Backends.Console;

/// <summary><c>backend { type = console }</c>: JSON lines on standard output.</summary>
public sealed class ConsoleBackendModule : BackendModule<ConsoleBackendOptions>
{
    public override string Name => "console";

    protected override ConsoleBackendOptions Parse(ConfigSection s) => new(s.Choice("encoding", JsonLineEncodings.ByName));

    protected override IBackendWriter Create(ConsoleBackendOptions options, BackendContext context) => new ConsoleBackendWriter(options.Encoding);
}

/// <summary>Settings of the <c>console</c> backend.</summary>
public sealed record ConsoleBackendOptions(JsonLineEncoding Encoding);

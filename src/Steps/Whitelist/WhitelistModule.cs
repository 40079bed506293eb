namespace Ingrain.Steps.Whitelist;

/// <summary><c>type = whitelist</c>: keeps only the tags named in <c>allow</c>.</summary>
public sealed class WhitelistModule : StepModule<WhitelistOptions>
{
    public override string Name => "whitelist";

    protected override WhitelistOptions Parse(ConfigSection section) => new(section.StringList("allow", required: true));

    protected override IPipelineStep Create(WhitelistOptions options, StepContext context) => new WhitelistStep(options.Allow);
}

/// <summary>Settings of a <c>whitelist</c> step: the tag keys to keep.</summary>
public sealed record WhitelistOptions(IReadOnlyList<string> Allow);

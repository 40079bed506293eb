using Ingrain.Actors.Pipeline;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors.Topology;

/// <summary>The result of one reload attempt.</summary>
public sealed record ReloadOutcome(bool Applied, TopologyDiff? Diff, IReadOnlyList<ConfigError> Errors)
{
    public static ReloadOutcome Rejected(IReadOnlyList<ConfigError> errors) => new(false, null, errors);
}

/// <summary>
/// Reload = compile, then apply. A configuration with errors is rejected as a whole: every error is logged and the
/// running topology is left exactly as it was. A valid one is diffed against the running spec and only the
/// difference is stopped, started or rewired. A new pipeline that cannot start rejects the reload too (rolled back).
/// </summary>
public sealed class TopologyReloader(RunningTopology topology, ILogger logger)
{
    /// <summary>Compiles and applies a configuration; <paramref name="cancellationToken"/> (the agent is stopping)
    /// abandons it at once with <see cref="OperationCanceledException"/> (see <see cref="RunningTopology.ApplyAsync"/>).</summary>
    public async Task<ReloadOutcome> ReloadAsync(Func<CompileResult> compile, CancellationToken cancellationToken = default)
    {
        CompileResult result;
        try
        {
            result = compile();
        }
        catch (Exception e)
        {
            result = CompileResult.Failed(new ConfigError("(reload)", "ingrain", $"could not read the configuration: {e.Message}"));
        }
        foreach (var warning in result.Warnings) logger.LogWarning("config: {Warning}", warning);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors) logger.LogError("config: {Error}", error);
            logger.LogError("reload rejected ({Count} error(s)); the running topology is unchanged", result.Errors.Count);
            return ReloadOutcome.Rejected(result.Errors);
        }
        try
        {
            var diff = await topology.ApplyAsync(result.Spec!, topology.StartedSpec.Agent.ShutdownTimeout, cancellationToken).ConfigureAwait(false);
            return new ReloadOutcome(true, diff, []);
        }
        catch (PipelineStartException e)
        {
            // Already logged and rolled back by ApplyAsync.
            return ReloadOutcome.Rejected([new ConfigError("(reload)", e.Component, e.Message)]);
        }
    }
}

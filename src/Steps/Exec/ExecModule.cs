namespace Ingrain.Steps.Exec;

/// <summary><c>type = exec</c>: runs a command (argv, no shell) for matching measurements, rate-limited.</summary>
public sealed class ExecModule : StepModule<ExecOptions>
{
    public override string Name => "exec";

    protected override ExecOptions Parse(ConfigSection s)
    {
        var command = s.StringList("command", required: true);
        if (s.Has("command") && command.Count == 0) s.Error("command", "must name a program (argv, no shell)");
        return new ExecOptions(
            command,
            TagConditions.Parse(s, "only-if"),
            s.Double("max-per-second", min: 0.001),
            s.Duration("timeout", min: TimeSpan.FromMilliseconds(1)),
            s.Int("max-concurrent", min: 1, max: 256),
            s.Int("queue-size", min: 1));
    }

    protected override IPipelineStep Create(ExecOptions options, StepContext context) => new ExecStep(options, context);
}

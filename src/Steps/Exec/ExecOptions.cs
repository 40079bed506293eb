namespace Ingrain.Steps.Exec;

/// <summary>
/// Settings of an <c>exec</c> step. <paramref name="Command"/> is argv (no shell); an argument may contain
/// <c>{tag}</c> placeholders. <paramref name="OnlyIf"/> conditions must all hold for the command to run.
/// </summary>
public sealed record ExecOptions(
    IReadOnlyList<string> Command,
    IReadOnlyList<TagCondition> OnlyIf,
    double MaxPerSecond,
    TimeSpan Timeout,
    int MaxConcurrent,
    int QueueSize);

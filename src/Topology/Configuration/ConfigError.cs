namespace Ingrain.Topology.Configuration;

/// <summary>
/// One problem found while compiling a topology: where it is (<c>file:line:col</c>), which component
/// (<c>ingrain.pipelines.console.steps[1]</c>) and what is wrong. The compiler collects every error in one pass.
/// </summary>
public sealed record ConfigError(string Origin, string ComponentPath, string Message)
{
    // Values echoed from the file are shown with control characters escaped and URI secrets hidden.
    public override string ToString() => Logging.LogText.EscapeControls(Logging.Redaction.Text($"{Origin}: {ComponentPath}: {Message}"));
}

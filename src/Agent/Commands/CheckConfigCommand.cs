using System.CommandLine;
using Ingrain.Actors.Topology;
using Ingrain.Topology;
using Ingrain.Topology.Modules;
using Ingrain.Agent.Composition;

namespace Ingrain.Agent.Commands;

/// <summary>
/// <c>ingrain check-config FILE</c>: compiles the topology without running it. Prints every error (file:line:col,
/// component path, problem) and exits 2, or prints the warnings and a summary and exits 0.
/// </summary>
internal static class CheckConfigCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The pipeline file (HOCON), e.g. pipeline.hocon." };
        var command = new Command("check-config", "Validate a pipeline file: print every error and exit 2, or exit 0.") { file };
        command.SetAction(result => Run(result.GetValue(file)!, Console.Out, Console.Error));
        return command;
    }

    internal static int Run(FileInfo file, TextWriter stdout, TextWriter stderr)
    {
        var result = TopologyLoader.FromFile(file.FullName, AgentModules.CreateRegistry());
        foreach (var warning in result.Warnings) stderr.WriteLine($"warning: {warning}");
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors) stderr.WriteLine($"error: {error}");
            stderr.WriteLine($"{file.Name}: {result.Errors.Count} error(s)");
            return 2;
        }
        var spec = result.Spec!;
        stdout.WriteLine($"{file.Name}: OK ({spec.Probes.Count} probe(s), {spec.Pipelines.Count} pipeline(s))");
        return 0;
    }
}

using System.CommandLine;
using System.Reflection;
using Ingrain.Native;

namespace Ingrain.Agent.Commands;

/// <summary>
/// <c>ingrain version</c>: the agent's version, the commit it was built from (embedded at build time from
/// <c>git rev-parse</c>, "unknown" when built outside a git checkout) and the version of the libbpf it loads.
/// </summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the version, the commit and the libbpf version.");
        command.SetAction(_ => Run(Console.Out));
        return command;
    }

    internal static int Run(TextWriter stdout)
    {
        stdout.WriteLine($"ingrain {Version}");
        stdout.WriteLine($"commit {Commit}");
        stdout.WriteLine($"libbpf {KernelFeatures.LibBpfVersion() ?? "not found (libbpf.so.1)"}");
        return 0;
    }

    /// <summary>The informational version without the SDK's <c>+commit</c> suffix.</summary>
    public static string Version
    {
        get
        {
            var informational = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            var plus = informational.IndexOf('+');
            return plus < 0 ? informational : informational[..plus];
        }
    }

    public static string Commit => typeof(VersionCommand).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "IngrainCommit")?.Value ?? "unknown";
}

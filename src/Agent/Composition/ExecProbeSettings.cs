using Ingrain.Actors.Topology;
using Ingrain.Probes.Exec;

namespace Ingrain.Agent.Composition;

/// <summary>The HOCON keys of the exec probe (<c>type = exec</c>), mapped onto <see cref="ExecProbeOptions"/>.</summary>
internal static class ExecProbeSettings
{
    public static ExecProbeOptions Parse(ConfigSection s)
    {
        var defaults = new ExecProbeOptions();
        return new ExecProbeOptions(s.Bool("emit-exits", defaults.EmitExits))
        {
            // The agent's own execs and exits would otherwise feed back into its output (exec steps, commands it runs).
            IgnoredProcessId = s.Bool("ignore-self", true) ? Environment.ProcessId : 0,
        };
    }
}

using System.CommandLine;
using Ingrain.Agent.Commands;

// The `ingrain` executable: one command per file in Commands/.
var root = new RootCommand("Ingrain: eBPF security monitoring agent with an actor pipeline.")
{
    RunCommand.Create(),
    HoconCommand.Create(),
    CheckConfigCommand.Create(),
    ProbesCommand.Create(),
    VersionCommand.Create(),
};
// The agent handles SIGINT/SIGTERM itself (drain, then exit; a second signal exits at once), so System.CommandLine
// must not cancel and then kill the process after its default 2 s termination timeout.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

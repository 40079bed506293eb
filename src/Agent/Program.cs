using System.CommandLine;
using Ingrain.Agent.Commands;

// The `ingrain` executable: one command per file in Commands/.
var root = new RootCommand("Ingrain: eBPF security monitoring agent with an actor pipeline.")
{
    RunCommand.Create(),
    HoconCommand.Create(),
    CheckConfigCommand.Create(),
};
return await root.Parse(args).InvokeAsync();

using System.CommandLine;

namespace Ingrain.Agent.Commands;

/// <summary><c>ingrain check-config</c>.</summary>
internal static class CheckConfigCommand
{
    public static Command Create()
    {
        var command = new Command("check-config", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("ingrain check-config: not built yet");
            return 1;
        });
        return command;
    }
}

using System.CommandLine;

namespace Ingrain.Agent.Commands;

/// <summary><c>ingrain run</c>.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("ingrain run: not built yet");
            return 1;
        });
        return command;
    }
}

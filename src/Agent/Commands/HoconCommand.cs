using System.CommandLine;

namespace Ingrain.Agent.Commands;

/// <summary><c>ingrain hocon</c>.</summary>
internal static class HoconCommand
{
    public static Command Create()
    {
        var command = new Command("hocon", "Not built yet.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("ingrain hocon: not built yet");
            return 1;
        });
        return command;
    }
}

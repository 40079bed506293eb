using System.CommandLine;
using Ingrain.Hocon;

namespace Ingrain.Agent.Commands;

/// <summary><c>ingrain hocon FILE [--no-env]</c>: prints the resolved document as JSON (exit 0) or the error (exit 2).</summary>
internal static class HoconCommand
{
    public const int ExitOk = 0;
    public const int ExitConfigError = 2;

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "HOCON, JSON or .properties file to parse and resolve" };
        var noEnv = new Option<bool>("--no-env") { Description = "Do not fall back to environment variables for unresolved substitutions" };
        var command = new Command("hocon", "Parse and resolve a HOCON file and print it as JSON.") { file, noEnv };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(noEnv), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string file, bool noEnv, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var config = HoconParser.ParseFile(file, new HoconParseOptions { UseEnvironment = !noEnv });
            stdout.WriteLine(config.ToJson(indented: true));
            return ExitOk;
        }
        catch (HoconException e)
        {
            stderr.WriteLine($"ingrain hocon: {e.Message}");
            return ExitConfigError;
        }
    }
}

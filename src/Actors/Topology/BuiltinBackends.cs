using Ingrain.Actors.Backends.Console;
using Ingrain.Actors.Backends.Files;

namespace Ingrain.Actors.Topology;

/// <summary>Settings of the <c>console</c> backend.</summary>
public sealed record ConsoleBackendOptions(JsonLineEncoding Encoding);

/// <summary>The backend types built into Ingrain.Actors (console, file), with their HOCON parsers.</summary>
public static class BuiltinBackends
{
    public static readonly IReadOnlyDictionary<string, JsonLineEncoding> Encodings =
        new Dictionary<string, JsonLineEncoding> { ["ingrain"] = JsonLineEncoding.Ingrain, ["ingraind"] = JsonLineEncoding.Ingraind };

    public static IEnumerable<BackendType> All()
    {
        yield return BackendType.Of("console",
            s => new ConsoleBackendOptions(s.Choice("encoding", JsonLineEncoding.Ingrain, Encodings)),
            (o, _) => new ConsoleBackendWriter(o.Encoding));
        yield return BackendType.Of("file", ParseFile, (o, _) => new FileBackendWriter(o));
    }

    private static FileBackendOptions? ParseFile(ConfigSection s)
    {
        var path = s.String("path", required: true);
        if (path is not null && OutputPathCheck.Problem(path) is { } problem) s.Error("path", problem);
        var options = new FileBackendOptions(
            path ?? "",
            s.Bytes("max-size", 100L << 20, min: 1024),
            s.Int("max-files", 5, min: 0),
            s.Choice("encoding", JsonLineEncoding.Ingrain, Encodings));
        return path is null ? null : options;
    }
}

using Ingrain.Model.Json;

namespace Ingrain.Backends;

/// <summary>The HOCON spellings of the JSON line encodings (console and file backends).</summary>
public static class JsonLineEncodings
{
    public static readonly IReadOnlyDictionary<string, JsonLineEncoding> ByName =
        new Dictionary<string, JsonLineEncoding> { ["ingrain"] = JsonLineEncoding.Ingrain, ["ingraind"] = JsonLineEncoding.Ingraind };
}

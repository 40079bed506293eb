using Ingrain.Hocon;
using Ingrain.Hocon.Values;
using Ingrain.Topology.Configuration;

namespace Ingrain.Topology;

/// <summary>
/// Checks the root of the user's own file before reference.hocon is laid under it, so that its errors name the user's
/// file: an empty file or one without <c>ingrain</c> (which would otherwise run the reference's empty topology),
/// <c>ingrain = 5</c>, and a root key that is a misspelt <c>ingrain</c> (<c>ingrian { … }</c>, silently ignored
/// before). Other root keys are allowed (they may hold values for substitutions) with a warning.
/// </summary>
internal static class UserRootCheck
{
    private const string Root = "ingrain";

    public static void Check(HoconObject user, string file, List<ConfigError> errors, List<ConfigError> warnings)
    {
        foreach (var (key, value) in user.Fields)
        {
            if (key == Root) continue;
            if (DidYouMean.Closest(key, [Root]) is not null)
                errors.Add(new ConfigError(value.Origin.ToString(), key, $"unknown root key \"{key}\"; did you mean \"{Root}\"?"));
            else
                warnings.Add(new ConfigError(value.Origin.ToString(), key,
                    $"root key \"{key}\" is not read by the agent (only \"{Root}\" is); fine if it only holds values for substitutions"));
        }
        if (user.TryGetValue(Root, out var ingrain))
        {
            if (ingrain is not HoconObject)
                errors.Add(new ConfigError(ingrain.Origin.ToString(), Root, $"must be an object (ingrain {{ probes {{ … }}, pipelines {{ … }} }}), got {ConfigSection.Describe(ingrain)}"));
            return;
        }
        errors.Add(new ConfigError(file, "(file)", user.Count == 0
            ? "the file is empty (or only comments): it needs an \"ingrain\" object, e.g. ingrain { probes { … }, pipelines { … } }"
            : "the configuration has no \"ingrain\" object"));
    }
}

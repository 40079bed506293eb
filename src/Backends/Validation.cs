namespace Ingrain.Backends;

/// <summary>Reports an options record's own <c>Validate()</c> problems as configuration errors of its component.</summary>
internal static class Validation
{
    public static T? Validated<T>(this ConfigSection s, T options, Func<T, IReadOnlyList<string>> validate) where T : class
    {
        var problems = validate(options);
        foreach (var problem in problems) s.Error(null, problem);
        return problems.Count == 0 ? options : null;
    }
}

namespace Ingrain.Hocon.Resolution;

/// <summary>A substitution cycle. Internal so that optional substitutions can treat it as "undefined";
/// callers see a <see cref="HoconException"/>.</summary>
internal sealed class HoconCycleException(string problem, HoconOrigin origin, string? path) : HoconException(problem, origin, path);

using Ingrain.Actors.Metrics;

namespace Ingrain.Actors.Pipeline;

/// <summary>Tag edits shared by steps.</summary>
internal static class TagEdits
{
    /// <summary>
    /// Sets <paramref name="key"/> to <paramref name="value"/>: replaces the first tag with that key, or appends.
    /// (ingraind always appended, so a measurement passing two enrichers carried the key twice.)
    /// </summary>
    public static Tags Set(Tags tags, string key, string value)
    {
        var span = tags.AsSpan();
        for (var i = 0; i < span.Length; i++)
        {
            if (span[i].Key != key) continue;
            if (span[i].Value == value) return tags;
            var copy = span.ToArray();
            copy[i] = new(key, value);
            return Tags.FromArray(copy);
        }
        return tags.Add(key, value);
    }
}

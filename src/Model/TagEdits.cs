
namespace Ingrain.Model;

/// <summary>Tag edits shared by steps.</summary>
public static class TagEdits
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

    /// <summary>
    /// <see cref="Set(Tags, string, string)"/> for two distinct keys in one pass and at most one copy; returns
    /// <paramref name="tags"/> itself when both already hold those values.
    /// </summary>
    public static Tags Set(Tags tags, string key1, string value1, string key2, string value2)
    {
        var span = tags.AsSpan();
        int at1 = -1, at2 = -1;
        for (var i = 0; i < span.Length && (at1 < 0 || at2 < 0); i++)
        {
            if (at1 < 0 && span[i].Key == key1) at1 = i;
            else if (at2 < 0 && span[i].Key == key2) at2 = i;
        }
        if (at1 >= 0 && span[at1].Value == value1 && at2 >= 0 && span[at2].Value == value2) return tags;

        var copy = new KeyValuePair<string, string>[span.Length + (at1 < 0 ? 1 : 0) + (at2 < 0 ? 1 : 0)];
        span.CopyTo(copy);
        var end = span.Length;
        copy[at1 >= 0 ? at1 : end++] = new(key1, value1);
        copy[at2 >= 0 ? at2 : end] = new(key2, value2);
        return Tags.FromArray(copy);
    }
}

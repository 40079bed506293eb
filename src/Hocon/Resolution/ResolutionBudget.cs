namespace Ingrain.Hocon.Resolution;

/// <summary>
/// Limits on what resolution may build, so a document that grows with every substitution ("billion laughs") fails
/// with a <see cref="HoconException"/> instead of exhausting memory: the number of values and the characters of
/// strings in the resolved document (every copy a substitution makes counts), and the characters concatenation builds.
/// </summary>
internal sealed class ResolutionBudget(HoconParseOptions options)
{
    private long _concatenatedChars;
    private long _undefined;

    /// <summary>Spends <paramref name="chars"/> characters that a string concatenation is about to build.</summary>
    public void SpendConcatenatedText(long chars, HoconOrigin origin)
    {
        _concatenatedChars += chars;
        if (_concatenatedChars > options.MaxResolvedStringLength) throw TooManyChars(origin);
    }

    /// <summary>Counts one value resolved to "undefined". Such results are not remembered (see Resolver), so a chain
    /// of optional substitutions that all end undefined is worked out again at each use: this bounds the work.</summary>
    public void SpendUndefined(HoconOrigin origin)
    {
        if (++_undefined > options.MaxResolvedValues)
            throw new HoconException($"more than {options.MaxResolvedValues} optional substitutions resolved to nothing (a chain of ${{?...}} that doubles at each step?)", origin);
    }

    /// <summary>Checks a list that a list concatenation is about to build.</summary>
    public void CheckListLength(long count, HoconOrigin origin)
    {
        if (count > options.MaxResolvedValues) throw TooManyValues(origin);
    }

    /// <summary>Checks the size of a resolved value, counting shared (substituted) values once per copy.</summary>
    public void CheckSize(long values, long chars, HoconOrigin origin)
    {
        if (values > options.MaxResolvedValues) throw TooManyValues(origin);
        if (chars > options.MaxResolvedStringLength) throw TooManyChars(origin);
    }

    private HoconException TooManyValues(HoconOrigin origin) =>
        new($"the resolved document would hold more than {options.MaxResolvedValues} values (substitutions copying large values?)", origin);

    private HoconException TooManyChars(HoconOrigin origin) =>
        new($"the resolved document would hold more than {options.MaxResolvedStringLength} characters of strings "
            + "(substitutions copying or concatenating large strings? raise HoconParseOptions.MaxResolvedStringLength if the input is trusted)", origin);
}

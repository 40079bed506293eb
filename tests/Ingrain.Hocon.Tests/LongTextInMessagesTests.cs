using Xunit;

namespace Ingrain.Hocon.Tests;

/// <summary>Hostile input with huge paths or tokens still gives short error messages; <see cref="HoconException.Path"/>
/// keeps the whole path.</summary>
public sealed class LongTextInMessagesTests
{
    private const int ShortMessage = 1_000;
    private static readonly HoconParseOptions NoEnv = new() { UseEnvironment = false };
    private static readonly string HugePath = string.Join('.', Enumerable.Repeat("k", 100_000));

    [Fact]
    public void Missing_huge_path_is_clipped_in_the_message_but_kept_in_Path()
    {
        var config = HoconParser.Parse("a = 1", "small.conf", NoEnv);
        var e = Assert.Throws<HoconException>(() => config.GetString(HugePath));
        Assert.Equal(HugePath, e.Path);
        Assert.True(e.Message.Length < ShortMessage, $"message is {e.Message.Length} characters");
        Assert.Contains("path 'k.k.k", e.Message);
        Assert.Contains($"...({HugePath.Length - 180} characters left out)...", e.Message);
        Assert.EndsWith(")..." + string.Concat(Enumerable.Repeat(".k", 30)) + "': no configuration setting found (missing path)", e.Message);
    }

    [Fact]
    public void Unresolved_substitution_with_huge_path_gives_a_short_message()
    {
        var e = Assert.Throws<HoconException>(() => HoconParser.Parse("a = ${" + HugePath + "}", "subst.conf", NoEnv));
        Assert.Equal(HugePath, e.Path);
        Assert.True(e.Message.Length < ShortMessage, $"message is {e.Message.Length} characters");
        Assert.StartsWith("subst.conf:1:5: ", e.Message);
    }

    [Fact]
    public void Huge_key_with_a_missing_separator_gives_a_short_message()
    {
        var e = Assert.Throws<HoconException>(() => HoconParser.Parse(new string('k', 100_000) + " oops", "key.conf", NoEnv));
        Assert.True(e.Message.Length < ShortMessage, $"message is {e.Message.Length} characters");
        Assert.Contains("characters left out", e.Message);
    }

    [Fact]
    public void Long_substitution_cycle_shows_both_ends_of_the_chain()
    {
        var ring = string.Join("\n", Enumerable.Range(0, 300).Select(i => $"a{i} = ${{a{(i + 1) % 300}}}"));
        var e = Assert.ThrowsAny<HoconException>(() => HoconParser.Parse(ring, "ring.conf", NoEnv));
        Assert.True(e.Message.Length < ShortMessage, $"message is {e.Message.Length} characters");
        const string link = @"\$\{a\d+\} at ring\.conf:\d+:\d+";
        Assert.Matches($@"cycle in substitutions: ({link} -> ){{4}}\.\.\.\(292 more\)\.\.\.( -> {link}){{4}}$", e.Message);
    }

    [Fact]
    public void Clipping_keeps_surrogate_pairs_whole()
    {
        const string emoji = "\U0001F600";
        var text = new string('k', 119) + emoji + new string('k', 200) + emoji + new string('k', 59);
        var clipped = HoconException.Clip(text);
        Assert.StartsWith(new string('k', 119) + "...(", clipped);
        Assert.EndsWith(")..." + new string('k', 59), clipped);
        Assert.Equal(new string('k', 200), HoconException.Clip(new string('k', 200)));
    }
}

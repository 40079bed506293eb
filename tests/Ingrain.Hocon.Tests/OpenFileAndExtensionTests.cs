using Xunit;

namespace Ingrain.Hocon.Tests;

/// <summary><see cref="HoconParseOptions.OpenFile"/> sees every file read, and an include never silently gives nothing.</summary>
public sealed class OpenFileAndExtensionTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void An_include_with_an_unknown_extension_reads_that_file_as_hocon()
    {
        _dir.Write("x.hocon", "a = 1");
        var main = _dir.Write("main.conf", "include \"x.hocon\"\nb = ${a}");
        Assert.Equal("""{"a":1,"b":1}""", HoconParser.ParseFile(main).ToJson(indented: false));
    }

    [Fact]
    public void A_known_extension_still_wins_over_the_bare_name()
    {
        _dir.Write("x", "a = bare");
        _dir.Write("x.conf", "a = conf");
        var main = _dir.Write("main.conf", "include \"x\"");
        Assert.Equal("""{"a":"conf"}""", HoconParser.ParseFile(main).ToJson(indented: false));
    }

    [Fact]
    public void OpenFile_opens_the_file_and_each_include_and_can_refuse_one()
    {
        var inc = _dir.Write("inc.conf", "a = 1");
        var main = _dir.Write("main.conf", "include \"inc.conf\"");
        var opened = new List<string>();
        HoconParser.ParseFile(main, new HoconParseOptions { OpenFile = p => { opened.Add(p); return File.OpenRead(p); } });
        Assert.Equal([main, inc], opened);

        var e = Assert.Throws<HoconException>(() => HoconParser.ParseFile(main, new HoconParseOptions
        {
            OpenFile = p => p == inc ? throw new IOException("refused: writable by others") : File.OpenRead(p),
        }));
        Assert.Equal($"{main}:1:1: could not read included {inc}: refused: writable by others", e.Message);
    }
}

using Xunit;

namespace Ingrain.Hocon.Tests;

/// <summary>Includes from files and embedded resources, and errors that point at file:line:col.</summary>
public sealed class IncludeAndErrorTests : IDisposable
{
    private static readonly HoconParseOptions NoEnv = new() { UseEnvironment = false };
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Includes_are_relative_to_the_including_file_and_probe_extensions()
    {
        _folder.Write("conf/lib/base.properties", "x.from = properties\nx.p = 1\n");
        _folder.Write("conf/lib/base.json", """{ "x": { "from": "json", "j": 2 } }""");
        _folder.Write("conf/lib/base.conf", "x.from = conf\nx.c = 3\nx.self = ${x.p}\n");
        var main = _folder.Write("conf/main.conf", "nested { include \"lib/base\" }\ntop = 1\n");
        var config = HoconParser.ParseFile(main, NoEnv);
        Assert.Equal("conf", config.GetString("nested.x.from"));
        Assert.Equal("1", config.GetString("nested.x.p"));
        Assert.Equal(2, config.GetInt("nested.x.j"));
        Assert.Equal(3, config.GetInt("nested.x.c"));
        Assert.Equal("1", config.GetString("nested.x.self"));
    }

    [Fact]
    public void Required_missing_include_fails_and_optional_is_ignored()
    {
        var optional = _folder.Write("optional.conf", "include \"nothere\"\na = 1\n");
        Assert.Equal(1, HoconParser.ParseFile(optional, NoEnv).GetInt("a"));
        var required = _folder.Write("required.conf", "a = 1\ninclude required(\"nothere.conf\")\n");
        var e = Assert.Throws<HoconException>(() => HoconParser.ParseFile(required, NoEnv));
        Assert.Contains($"{required}:2:1", e.Message);
        Assert.Contains("nothere.conf", e.Message);
    }

    [Fact]
    public void Include_cycle_is_reported()
    {
        _folder.Write("a.conf", "include \"b.conf\"\n");
        _folder.Write("b.conf", "include \"a.conf\"\n");
        var e = Assert.Throws<HoconException>(() => HoconParser.ParseFile(Path.Combine(_folder.Path, "a.conf"), NoEnv));
        Assert.Contains("include cycle", e.Message);
    }

    [Fact]
    public void Classpath_include_reads_embedded_resources()
    {
        var options = NoEnv with { ClasspathAssembly = typeof(IncludeAndErrorTests).Assembly };
        var config = HoconParser.Parse("include classpath(\"embedded-lib.conf\")\nlibrary.extra = ${library.name}", "main", options);
        Assert.Equal("embedded", config.GetString("library.name"));
        Assert.Equal("embedded", config.GetString("library.extra"));
        Assert.Equal(2048L, config.GetBytes("library.size"));
        var e = Assert.Throws<HoconException>(() => HoconParser.Parse("include required(classpath(\"absent.conf\"))", "main", options));
        Assert.Contains("absent.conf", e.Message);
    }

    [Fact]
    public void Url_includes_are_refused()
    {
        var e = Assert.Throws<HoconException>(() => HoconParser.Parse("include url(\"https://example.com/a.conf\")", "main", NoEnv));
        Assert.Contains("never fetched over the network", e.Message);
        Assert.Throws<HoconException>(() => HoconParser.Parse("include \"http://example.com/a.conf\"", "main", NoEnv));
    }

    [Fact]
    public void Syntax_error_in_a_file_names_file_line_and_column()
    {
        var file = _folder.Write("broken.conf", "a {\n  b = 1\n  c = [1, 2\n}\n");
        var e = Assert.Throws<HoconException>(() => HoconParser.ParseFile(file, NoEnv));
        Assert.StartsWith($"{file}:4:1:", e.Message);
        Assert.Equal(new HoconOrigin(file, 4, 1), e.Origin);
    }

    [Fact]
    public void Error_in_an_included_file_names_that_file()
    {
        var lib = _folder.Write("lib.conf", "ok = 1\nbad = ${missing.value}\n");
        var main = _folder.Write("main.conf", "include \"lib.conf\"\n");
        var e = Assert.Throws<HoconException>(() => HoconParser.ParseFile(main, NoEnv));
        Assert.StartsWith($"{lib}:2:7:", e.Message);
        Assert.Equal("missing.value", e.Path);
    }

    [Fact]
    public void Substitution_cycle_is_a_clear_error()
    {
        var e = Assert.ThrowsAny<HoconException>(() => HoconParser.Parse("a = ${b}\nb = ${c}\nc = ${a}", "cycle.conf", NoEnv));
        Assert.Contains("cycle in substitutions", e.Message);
        Assert.Contains("cycle.conf:", e.Message);
    }

    [Fact]
    public void Self_references_append_and_look_backwards()
    {
        var config = HoconParser.Parse("""
            path = "/bin"
            path = ${path}":/usr/bin"
            list = [1]
            list += 2
            obj { a = 1 }
            obj = ${obj} { b = 2 }
            maybe = ${?maybe} default
            """, "self.conf", NoEnv);
        Assert.Equal("/bin:/usr/bin", config.GetString("path"));
        Assert.Equal(["1", "2"], config.GetStringList("list"));
        Assert.Equal(1, config.GetInt("obj.a"));
        Assert.Equal(2, config.GetInt("obj.b"));
        Assert.Equal(" default", config.GetString("maybe"));
    }

    [Fact]
    public void Self_references_in_included_files_see_the_including_files_earlier_values()
    {
        _folder.Write("more.conf", "a = ${a} 2\n");
        _folder.Write("inner.conf", "x += 2\ny = ${?y} z\n");
        var main = _folder.Write("main.conf", "a = 1\nnested { x = [1] }\ninclude \"more.conf\"\nnested { include \"inner.conf\" }\n");
        var config = HoconParser.ParseFile(main, NoEnv);
        Assert.Equal("1 2", config.GetString("a"));
        Assert.Equal(["1", "2"], config.GetStringList("nested.x"));
        Assert.Equal(" z", config.GetString("nested.y"));
    }

    [Fact]
    public void File_includes_resolve_against_configured_directory()
    {
        _folder.Write("shared/common.conf", "common = yes\n");
        var options = NoEnv with { FileIncludeBaseDirectory = _folder.Path };
        var config = HoconParser.Parse("include file(\"shared/common.conf\")", "main", options);
        Assert.True(config.GetBoolean("common"));
    }
}

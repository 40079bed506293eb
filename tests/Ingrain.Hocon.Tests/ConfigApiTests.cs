using Xunit;
using Ingrain.Hocon.Values;

namespace Ingrain.Hocon.Tests;

/// <summary>Typed getters, paths, fallbacks and the value model of <see cref="Config"/>.</summary>
public sealed class ConfigApiTests
{
    private static readonly HoconParseOptions NoEnv = new() { UseEnvironment = false };

    private static Config Parse(string text) => HoconParser.Parse(text, "test.conf", NoEnv);

    [Fact]
    public void Typed_getters_read_and_convert_values()
    {
        var config = Parse("""
            agent {
              name = ingrain
              workers = 4
              big = 9000000000
              ratio = 0.25
              enabled = yes
              verbose = off
              interval = 30 s
              buffer = 16 MiB
              tags = [a, b, 3]
              "dotted.key" = quoted
              nothing = null
            }
            """);
        Assert.Equal("ingrain", config.GetString("agent.name"));
        Assert.Equal(4, config.GetInt("agent.workers"));
        Assert.Equal(9_000_000_000L, config.GetLong("agent.big"));
        Assert.Equal(0.25, config.GetDouble("agent.ratio"));
        Assert.True(config.GetBoolean("agent.enabled"));
        Assert.False(config.GetBoolean("agent.verbose"));
        Assert.Equal(TimeSpan.FromSeconds(30), config.GetDuration("agent.interval"));
        Assert.Equal(16L * 1024 * 1024, config.GetBytes("agent.buffer"));
        Assert.Equal(["a", "b", "3"], config.GetStringList("agent.tags"));
        Assert.Equal("quoted", config.GetString("agent.\"dotted.key\""));
        Assert.Equal("4", config.GetString("agent.workers"));
        Assert.True(config.HasPath("agent.workers"));
        Assert.False(config.HasPath("agent.nothing"));
        Assert.True(config.HasPathOrNull("agent.nothing"));
        Assert.False(config.HasPath("agent.missing"));
        Assert.Equal(HoconValueType.Null, config.GetValue("agent.nothing").Type);
    }

    [Fact]
    public void Objects_lists_of_objects_and_sub_configs()
    {
        var config = Parse("""
            pipeline {
              steps = [
                { type = filter, field = pid }
                { type = count }
              ]
            }
            """);
        var steps = config.GetConfigList("pipeline.steps");
        Assert.Equal(2, steps.Count);
        Assert.Equal("filter", steps[0].GetString("type"));
        Assert.Equal("count", steps[1].GetString("type"));
        Assert.Equal(["steps"], config.GetObject("pipeline").Keys);
        Assert.Equal(["pipeline"], config.Root.Keys);
        var sub = config.GetConfig("pipeline");
        Assert.Equal(HoconValueType.List, sub.GetValue("steps").Type);
        var list = Assert.IsType<HoconList>(config.GetValue("pipeline.steps"));
        Assert.IsType<HoconObject>(list[0]);
    }

    [Fact]
    public void Numerically_indexed_object_reads_as_list()
    {
        var config = Parse("""a { "1" = y, "0" = x, name = ignored }""");
        Assert.Equal(["x", "y"], config.GetStringList("a"));
    }

    [Fact]
    public void Values_keep_file_line_and_column()
    {
        var config = Parse("a {\n  b = 42\n  c = [1, \"two\"]\n}\n");
        var b = config.GetValue("a.b");
        Assert.Equal(new HoconOrigin("test.conf", 2, 7), b.Origin);
        var two = ((HoconList)config.GetValue("a.c"))[1];
        Assert.Equal(new HoconOrigin("test.conf", 3, 11), two.Origin);
        Assert.Equal(HoconValueType.String, two.Type);
    }

    [Fact]
    public void Wrong_type_error_names_origin_and_path()
    {
        var config = Parse("a {\n  port = eighty\n}\n");
        var e = Assert.Throws<HoconException>(() => config.GetInt("a.port"));
        Assert.StartsWith("test.conf:2:10: path 'a.port':", e.Message);
        Assert.Equal("a.port", e.Path);
        Assert.Equal(new HoconOrigin("test.conf", 2, 10), e.Origin);
        Assert.Contains("rather than a number", e.Message);
    }

    [Fact]
    public void Whole_number_getters_reject_fractions_instead_of_truncating()
    {
        // The reference truncates 2.5 to 2; a config value that is not whole is more likely a mistake.
        var config = Parse("workers = 2.5\nthreads = \"2.5\"\nwhole = 3.0\n");
        var e = Assert.Throws<HoconException>(() => config.GetInt("workers"));
        Assert.StartsWith("test.conf:1:11: path 'workers': has type number rather than a whole number", e.Message);
        Assert.Throws<HoconException>(() => config.GetLong("workers"));
        Assert.Throws<HoconException>(() => config.GetInt("threads"));
        Assert.Equal(3, config.GetInt("whole"));
        Assert.Equal(2.5, config.GetDouble("workers"));
    }

    [Fact]
    public void Missing_path_error_names_path()
    {
        var config = Parse("a {\n  b = 1\n}\n");
        var e = Assert.Throws<HoconException>(() => config.GetString("a.c"));
        Assert.Equal("a.c", e.Path);
        Assert.Contains("missing path", e.Message);
        Assert.StartsWith("test.conf:1:3:", e.Message);
    }

    [Fact]
    public void Null_value_is_reported_as_null()
    {
        var e = Assert.Throws<HoconException>(() => Parse("a = null").GetString("a"));
        Assert.Contains("is null", e.Message);
    }

    [Fact]
    public void WithFallback_layers_application_over_reference()
    {
        var reference = Parse("""
            agent { workers = 2, log { level = info, format = text } }
            backends { console { enabled = true } }
            """);
        var application = Parse("""
            agent { log.level = debug }
            backends = none
            """);
        var merged = application.WithFallback(reference);
        Assert.Equal(2, merged.GetInt("agent.workers"));
        Assert.Equal("debug", merged.GetString("agent.log.level"));
        Assert.Equal("text", merged.GetString("agent.log.format"));
        Assert.Equal("none", merged.GetString("backends"));
        Assert.Equal(Config.Empty.WithFallback(reference).ToJson(), reference.ToJson());
    }

    [ConformanceFact]
    public void Render_round_trips_through_the_parser()
    {
        foreach (var relative in new[] { "test01.conf", "test04.conf", "akkadotnet-hocon/src/Hocon.Benchmarks/reference.conf", "equiv05/triple-quotes.conf" })
        {
            var original = HoconParser.ParseFile(ConformanceData.PathOf(relative), NoEnv);
            var rendered = original.Render();
            var again = HoconParser.Parse(rendered, "rendered", NoEnv);
            Assert.Equal(original.ToJson(), again.ToJson());
        }
    }

    [ConformanceFact]
    public void Render_round_trips_every_conformance_document()
    {
        var documents = Conformance.ConformanceCase.Load()
            .Where(c => c.Kind is "parse-ok" or "equiv" && c.Root != "list" && c.Requires.Count == 0)
            .Select(c => c.Conf)
            .ToList();
        Assert.NotEmpty(documents);
        foreach (var relative in documents)
        {
            var original = HoconParser.ParseFile(ConformanceData.PathOf(relative), NoEnv);
            var again = HoconParser.Parse(original.Render(), "rendered", NoEnv);
            Assert.True(original.ToJson() == again.ToJson(), $"{relative} does not round-trip:\n{original.Render()}");
        }
    }

    [Fact]
    public void Render_writes_origins_as_comments()
    {
        var rendered = Parse("a {\n  b = 1\n}\n").Render();
        Assert.Contains("# test.conf:2:7", rendered);
    }

    [Fact]
    public void ToJson_renders_json()
    {
        Assert.Equal("""{"a":{"b":[1,2.5,"x",true,null]}}""", Parse("a.b = [1, 2.5, x, true, null]").ToJson(indented: false));
    }

    [Fact]
    public void Environment_fallback_is_switchable_and_blocked_by_null()
    {
        var name = "INGRAIN_HOCON_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-env");
        try
        {
            var text = $"a = ${{?{name}}}\nb = ${{{name}}}\n{name}x = 1";
            var withEnv = HoconParser.Parse(text);
            Assert.Equal("from-env", withEnv.GetString("a"));
            Assert.Equal("from-env", withEnv.GetString("b"));
            var e = Assert.Throws<HoconException>(() => HoconParser.Parse(text, "noenv.conf", NoEnv));
            Assert.Equal(name, e.Path);
            var blocked = HoconParser.Parse($"{name} = null\na = ${{{name}}}");
            Assert.Equal(HoconValueType.Null, blocked.GetValue("a").Type);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Parses_from_stream_and_value_level_lists()
    {
        using var stream = new MemoryStream([.. System.Text.Encoding.UTF8.GetPreamble(), .. "a = 1"u8.ToArray()]);
        Assert.Equal(1, HoconParser.Parse(stream, "stream.conf", NoEnv).GetInt("a"));
        var list = Assert.IsType<HoconList>(HoconParser.ParseValue("[1, 2, {a = b}]", options: NoEnv));
        Assert.Equal(3, list.Count);
        Assert.Throws<HoconException>(() => HoconParser.Parse("[1, 2]"));
    }
}

using System.Text;
using System.Text.Json;
using Ingrain.Hocon.Tests.Conformance;
using Xunit;

namespace Ingrain.Hocon.Tests;

/// <summary>
/// Randomly mutated conformance inputs (fixed seed) and hand-made pathological documents: parsing and resolving may
/// succeed or throw <see cref="HoconException"/>, but must never throw anything else, overflow the stack or hang.
/// </summary>
public sealed class MutationTests
{
    private const int Seed = 20261122;
    private const int MutationsPerBatch = 500;
    private const int Batches = 6;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private const string Interesting = "{}[]$\"\\:=,+#/\n .?()\u2003\uFEFF0-e";

    public static IEnumerable<object[]> BatchNumbers() => Enumerable.Range(0, Batches).Select(b => new object[] { b });

    [ConformanceTheory]
    [MemberData(nameof(BatchNumbers))]
    public void Mutated_conformance_inputs_fail_only_with_HoconException(int batch)
    {
        var inputs = ConformanceCase.Load()
            .Select(c => (Path: ConformanceData.PathOf(c.Conf), c.Syntax))
            .Distinct()
            .Select(x => (x.Path, Text: File.ReadAllText(x.Path), x.Syntax))
            .ToList();
        var random = new Random(Seed + batch);
        for (var i = 0; i < MutationsPerBatch; i++)
        {
            var (path, text, syntax) = inputs[random.Next(inputs.Count)];
            var mutated = Mutate(text, random);
            var options = new HoconParseOptions
            {
                UseEnvironment = false,
                IncludeBaseDirectory = Path.GetDirectoryName(path),
                Syntax = syntax switch { "json" => HoconSyntax.Json, "properties" => HoconSyntax.Properties, _ => HoconSyntax.Conf },
            };
            AssertOnlyHoconException(mutated, options, $"mutation {i} of {path}");
        }
    }

    private static readonly Dictionary<string, Func<string>> PathologicalInputs = new()
    {
        ["100k open brackets"] = () => new string('[', 100_000),
        ["100k open braces"] = () => new string('{', 100_000),
        ["50k nested field objects"] = () => string.Concat(Enumerable.Repeat("a{", 50_000)),
        ["50k-element path key"] = () => string.Concat(Enumerable.Repeat("a.", 50_000)) + "b = 1",
        ["5k balanced brackets"] = () => "x = " + new string('[', 5_000) + new string(']', 5_000),
        ["5k substitution chain"] = () => string.Join("\n", Enumerable.Range(0, 5_000).Select(i => $"a{i} = ${{a{i + 1}}}")) + "\na5000 = 1",
        ["5k substitution ring"] = () => string.Join("\n", Enumerable.Range(0, 5_000).Select(i => $"a{i} = ${{a{(i + 1) % 5_000}}}")),
        ["doubling lists"] = () => string.Join("\n", Enumerable.Range(0, 60).Select(i => $"a{i} = [${{a{i + 1}}}, ${{a{i + 1}}}]")) + "\na60 = 1",
        ["doubling objects"] = () => string.Join("\n", Enumerable.Range(0, 60).Select(i => $"a{i} = {{ x = ${{a{i + 1}}}, y = ${{a{i + 1}}} }}")) + "\na60 = {}",
        ["doubling strings"] = () => "a0 = x\n" + DoublingLines(40, i => $"${{a{i - 1}}}${{a{i - 1}}}"),
        ["doubling concatenated lists"] = () => "a0 = [1]\n" + DoublingLines(40, i => $"${{a{i - 1}}} ${{a{i - 1}}}"),
        ["doubling concatenated objects"] = () => "a0 = { x = 1 }\n" + DoublingLines(60, i => $"${{a{i - 1}}} {{ k{i} = ${{a{i - 1}}} }}"),
        ["doubling merged objects"] = () => "a0 = { x = 1 }\n" + DoublingLines(60, i => $"a{i} = ${{a{i - 1}}}\na{i} = {{ k{i} = ${{a{i - 1}}} }}", assign: false),
        ["doubling self-referencing string"] = () => "a = x\n" + string.Concat(Enumerable.Repeat("a = ${a}${a}\n", 40)),
        ["doubling self-referencing list"] = () => "a = [1]\n" + string.Concat(Enumerable.Repeat("a = ${a} ${a}\n", 40)),
        ["1M-char string copied into doubling lists"] = () => "a0 = \"" + new string('x', 1_000_000) + "\"\n" + DoublingLines(15, i => $"[${{a{i - 1}}}, ${{a{i - 1}}}]"),
        ["20k concatenated 1k-char strings"] = () => "x = \"" + new string('x', 1_000) + "\"\na = " + string.Concat(Enumerable.Repeat("${x}", 20_000)),
        ["9k concatenated 100-item lists"] = () => "x = [" + string.Join(",", Enumerable.Range(0, 100)) + "]\na = " + string.Join(" ", Enumerable.Repeat("${x}", 9_000)),
        ["5k appends"] = () => string.Concat(Enumerable.Repeat("a += 1\n", 5_000)),
        ["10k optional self references"] = () => "a = " + string.Concat(Enumerable.Repeat("${?a}", 10_000)),
        ["unclosed 1M string"] = () => "a = \"" + new string('x', 1_000_000),
        ["100k quotes"] = () => "a = \"\"\"" + new string('"', 100_000),
        ["10k-digit number"] = () => "a = 1" + new string('0', 10_000),
        ["unclosed substitution"] = () => "a = ${" + new string('b', 100_000),
        ["1k missing includes"] = () => string.Concat(Enumerable.Repeat("include \"nothere\"\n", 1_000)),
    };

    /// <summary>Lines <c>a1</c> to <c>a{count}</c>, each <c>aN = body(N)</c> (or just <c>body(N)</c>).</summary>
    private static string DoublingLines(int count, Func<int, string> body, bool assign = true) =>
        string.Join("\n", Enumerable.Range(1, count).Select(i => assign ? $"a{i} = {body(i)}" : body(i)));

    public static IEnumerable<object[]> Pathological() => PathologicalInputs.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Pathological))]
    public void Pathological_input_fails_cleanly_or_parses(string name) =>
        AssertOnlyHoconException(PathologicalInputs[name](), new HoconParseOptions { UseEnvironment = false }, name);

    [Fact]
    public void Deep_nesting_reports_the_depth_limit()
    {
        var e = Assert.Throws<HoconException>(() => HoconParser.Parse(new string('[', 10_000), "deep.conf"));
        Assert.Contains("deep.conf:1:", e.Message);
        Assert.Contains("nested more than", e.Message);
    }

    [Fact]
    public void Doubling_strings_report_the_string_budget_where_the_concatenation_is_written()
    {
        var text = "a0 = x\n" + DoublingLines(40, i => $"${{a{i - 1}}}${{a{i - 1}}}");
        var e = Assert.Throws<HoconException>(() => HoconParser.Parse(text, "laughs.conf", new HoconParseOptions { UseEnvironment = false }));
        Assert.Matches(@"^laughs\.conf:2[0-9]:7: ", e.Message);
        Assert.Contains("more than 67108864 characters", e.Message);
    }

    [Fact]
    public void Copies_of_a_long_string_count_against_the_string_budget()
    {
        var options = new HoconParseOptions { UseEnvironment = false, MaxResolvedStringLength = 1_000 };
        var text = "s = \"" + new string('x', 300) + "\"\nlist = [${s}, ${s}, ${s}, ${s}]";
        var e = Assert.Throws<HoconException>(() => HoconParser.Parse(text, "copies.conf", options));
        Assert.Contains("more than 1000 characters", e.Message);
        Assert.Equal(4, HoconParser.Parse(text, "copies.conf", options with { MaxResolvedStringLength = 1_500 }).GetList("list").Count);
    }

    [Fact]
    public void Concatenated_strings_count_against_the_string_budget()
    {
        var options = new HoconParseOptions { UseEnvironment = false, MaxResolvedStringLength = 1_000 };
        var text = "s = \"" + new string('x', 400) + "\"\nlong = ${s}${s}${s}";
        var e = Assert.Throws<HoconException>(() => HoconParser.Parse(text, "concat.conf", options));
        Assert.StartsWith("concat.conf:2:8: ", e.Message);
        Assert.Equal(1_200, HoconParser.Parse(text, "concat.conf", options with { MaxResolvedStringLength = 2_000 }).GetString("long").Length);
    }

    [Fact]
    public void Doubling_concatenated_lists_report_the_value_budget()
    {
        var text = "a0 = [1]\n" + DoublingLines(40, i => $"${{a{i - 1}}} ${{a{i - 1}}}");
        var e = Assert.Throws<HoconException>(() => HoconParser.Parse(text, "lists.conf", new HoconParseOptions { UseEnvironment = false }));
        Assert.Contains("more than 1000000 values", e.Message);
    }

    private static void AssertOnlyHoconException(string text, HoconParseOptions options, string what)
    {
        var run = Task.Factory.StartNew(() =>
        {
            try
            {
                var value = HoconParser.ParseValue(text, "mutated", options);
                _ = value.ToJson();
                return null;
            }
            catch (HoconException)
            {
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        }, TaskCreationOptions.LongRunning);
        Assert.True(run.Wait(Limit), $"{what}: did not finish within {Limit.TotalSeconds}s; input: {JsonSerializer.Serialize(Clip(text))}");
        Assert.True(run.Result is null, $"{what}: {run.Result}\ninput: {JsonSerializer.Serialize(Clip(text))}");
    }

    private static string Clip(string text) => text.Length > 400 ? text[..400] + "..." : text;

    private static string Mutate(string text, Random random)
    {
        var sb = new StringBuilder(text);
        var edits = 1 + random.Next(4);
        for (var e = 0; e < edits; e++)
        {
            var at = sb.Length == 0 ? 0 : random.Next(sb.Length);
            switch (random.Next(6))
            {
                case 0 when sb.Length > 0:
                    sb.Remove(at, 1);
                    break;
                case 1:
                    sb.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 2 when sb.Length > 0:
                    sb[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 3 when sb.Length > 1:
                    var length = Math.Min(sb.Length - at, 1 + random.Next(20));
                    sb.Insert(random.Next(sb.Length), sb.ToString(at, length));
                    break;
                case 4 when sb.Length > 0:
                    sb.Length = at;
                    break;
                default:
                    sb.Insert(at, (char)random.Next(0x20, 0x7F));
                    break;
            }
        }
        return sb.ToString();
    }
}

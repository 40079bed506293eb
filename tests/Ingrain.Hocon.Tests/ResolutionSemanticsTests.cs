using System.Text.Json;
using Ingrain.Hocon.Tests.Conformance;
using Xunit;

namespace Ingrain.Hocon.Tests;

/// <summary>
/// Substitution and merge semantics from the spec and from upstream tests that are not in the shared data
/// (upstream ConfigSubstitutionTest / ConcatenationTest inline inputs), with the reference's answers.
/// </summary>
public sealed class ResolutionSemanticsTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        // Delayed merges through substitutions (upstream avoidDelayedMergeObjectResolveProblem1/2/4/5/6).
        { "defaults { a = 1, b = 2 }\nitem1 = ${defaults}\nitem1.b = 3\nitem2.b = ${item1.b}",
          """{"defaults":{"a":1,"b":2},"item1":{"a":1,"b":3},"item2":{"b":3}}""" },
        { "defaults { a = 1, b = 2 }\nitem1 = ${defaults}\nitem1.b = { c : 43 }\nitem2.b = ${item1.b}",
          """{"defaults":{"a":1,"b":2},"item1":{"a":1,"b":{"c":43}},"item2":{"b":{"c":43}}}""" },
        { "defaults { a = 1, b = 2 }\nitem1 = ${defaults}\nitem1 = ${defaults}\nitem2.b = ${item1.b}",
          """{"defaults":{"a":1,"b":2},"item1":{"a":1,"b":2},"item2":{"b":2}}""" },
        { "defaults {\n a = ${item1.b}\n b = 2\n}\nitem1 = ${defaults}\nitem1 = ${defaults}\nitem2.b = ${item1.b}",
          """{"defaults":{"a":2,"b":2},"item1":{"a":2,"b":2},"item2":{"b":2}}""" },
        { "z = 15\nddd { m = ${z}, n.o.p = ${z} }\ndd { x = 10 }\nd { a = 1, b = 2 }\nalias = ${d}\nitem1 = 345\nitem1 = ${?NONEXISTENT}\nitem1 = ${ddd}\nitem1 = {}\nitem1 = ${dd}\nitem1 = ${alias}\nitem1 = ${d}\nitem1.b = { c : 43 }\nitem2.b = ${item1.b}",
          """{"z":15,"ddd":{"m":15,"n":{"o":{"p":15}}},"dd":{"x":10},"d":{"a":1,"b":2},"alias":{"a":1,"b":2},"item1":{"m":15,"n":{"o":{"p":15}},"x":10,"a":1,"b":{"c":43}},"item2":{"b":{"c":43}}}""" },
        // Self-references (spec "Self-Referential Substitutions" examples).
        { "foo : { a : { c : 1 } }\nfoo : ${foo.a}\nfoo : { a : 2 }", """{"foo":{"c":1,"a":2}}""" },
        { "bar : { foo : 42, baz : ${bar.foo} }\nbar : { foo : 43 }", """{"bar":{"foo":43,"baz":43}}""" },
        { "a=1, b=${c}, c=${a}, a=${b}", """{"a":1,"b":1,"c":1}""" },
        { "a={b=5}, a=${a}", """{"a":{"b":5}}""" },
        { "a.b={c=5}, a.b=${a.b}", """{"a":{"b":{"c":5}}}""" },
        { "a = ${?a}foo", """{"a":"foo"}""" },
        { "x = ${y}, y = { a = 1 }, x.b = ${x.a}", """{"x":{"a":1,"b":1},"y":{"a":1}}""" },
        // += (upstream ConcatenationTest).
        { "a = ${x}, a += ${y}, x = [1], y = 2", """{"a":[1,2],"x":[1],"y":2}""" },
        { "a : { b : { c : [1] } }, a : { b : { c += 2 } }", """{"a":{"b":{"c":[1,2]}}}""" },
        { "a += 1, a += 2, a += 3", """{"a":[1,2,3]}""" },
        // Concatenation.
        { "a = { \"0\" : x, \"1\" : y }, b = ${a} [z]", """{"a":{"0":"x","1":"y"},"b":["x","y","z"]}""" },
        { "a = \"  \", b = ${?nope}${a}${?nope}", """{"a":"  ","b":"  "}""" },
        { "x = [ ${?a} ${?b} ]", """{"x":[" "]}""" },
        { "x = [ ${?a}${?b} ]", """{"x":[]}""" },
        { "a = ${b} ${c}, b = {x:1}, c = {y:2}", """{"a":{"x":1,"y":2},"b":{"x":1},"c":{"y":2}}""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resolves_like_the_reference(string input, string expected)
    {
        var actual = HoconParser.Parse(input, "inline", new HoconParseOptions { UseEnvironment = false }).ToJson();
        using var expectedJson = JsonDocument.Parse(expected);
        using var actualJson = JsonDocument.Parse(actual);
        var difference = JsonComparer.Difference(expectedJson.RootElement, actualJson.RootElement);
        Assert.True(difference is null, $"{difference}\nactual: {actual}");
    }
}

using Ingrain.Probes.Command;
using Ingrain.Probes.StatsD;
using Xunit;

namespace Ingrain.Probes.Tests.Command;

public sealed class ProbeConfigDocsTests
{
    public static TheoryData<string> Keys()
    {
        var data = new TheoryData<string>();
        foreach (var key in StatsDProbeOptions.ConfigKeys.Concat(CommandProbeOptions.ConfigKeys)) data.Add(key);
        return data;
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_user_space_probe_key_is_documented_with_its_default(string key)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Ingrain.Actors.sln"))) dir = dir.Parent;
        var doc = File.ReadAllText(Path.Combine(dir.FullName, "docs", "configuration-backends.md"));
        Assert.Contains($"| `{key}`", doc);
    }
}

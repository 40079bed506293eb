using Ingrain.Actors.Backends.Http;
using Ingrain.Actors.Backends.S3;
using Ingrain.Actors.Backends.StatsD;
using Xunit;

namespace Ingrain.Actors.Tests.Backends;

public sealed class BackendConfigDocsTests
{
    public static TheoryData<string> Keys()
    {
        var data = new TheoryData<string>();
        foreach (var key in StatsDBackendOptions.ConfigKeys.Concat(HttpBackendOptions.ConfigKeys).Concat(S3BackendOptions.ConfigKeys).Distinct())
            data.Add(key);
        return data;
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_backend_key_is_documented_with_its_default(string key)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Ingrain.Actors.sln"))) dir = dir.Parent;
        var doc = File.ReadAllText(Path.Combine(dir.FullName, "docs", "configuration-backends.md"));
        Assert.Contains($"| `{key}", doc);
    }
}

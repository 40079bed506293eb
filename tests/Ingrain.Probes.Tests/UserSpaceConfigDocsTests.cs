using Ingrain.Actors.Backends.Http;
using Ingrain.Actors.Backends.S3;
using Ingrain.Actors.Backends.StatsD;
using Ingrain.Probes.Command;
using Ingrain.Probes.StatsD;
using Ingrain.TestKit;
using Xunit;

namespace Ingrain.Probes.Tests;

/// <summary>Every HOCON key of the backends and user-space probes has a row (<c>| `key`</c>, or <c>| `key { … }`</c> for an object) in docs/configuration.md.</summary>
public sealed class UserSpaceConfigDocsTests
{
    private static readonly Lazy<string> Doc =
        new(() => File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "configuration.md")));

    public static TheoryData<string, string> Keys()
    {
        var data = new TheoryData<string, string>();
        void Add(string component, IEnumerable<string> keys)
        {
            foreach (var key in keys) data.Add(component, key);
        }
        Add("statsd backend", StatsDBackendOptions.ConfigKeys);
        Add("http backend", HttpBackendOptions.ConfigKeys);
        Add("s3 backend", S3BackendOptions.ConfigKeys);
        Add("statsd probe", StatsDProbeOptions.ConfigKeys);
        Add("command probe", CommandProbeOptions.ConfigKeys);
        Add("network probe", Ingrain.Probes.Network.NetworkProbeOptions.ConfigKeys);
        return data;
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_key_is_documented_with_its_default(string component, string key) =>
        Assert.True(Doc.Value.Contains($"| `{key}`", StringComparison.Ordinal) || Doc.Value.Contains($"| `{key} {{", StringComparison.Ordinal),
            $"{component}: key '{key}' has no row in docs/configuration.md");
}

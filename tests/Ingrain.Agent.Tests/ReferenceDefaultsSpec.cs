using Ingrain.Actors.Backends.Http;
using Ingrain.Actors.Backends.S3;
using Ingrain.Actors.Backends.StatsD;
using Ingrain.Actors.Pipeline.Steps;
using Ingrain.Actors.Topology;
using Ingrain.Agent.Composition;
using Ingrain.Probes.Command;
using Ingrain.Probes.StatsD;
using Xunit;

namespace Ingrain.Agent.Tests;

/// <summary>reference.hocon repeats the defaults of the options records; these specs keep the two in agreement.</summary>
public class ReferenceDefaultsSpec
{
    private static TopologySpec Compile(string text)
    {
        var result = TopologyLoader.FromText(text, AgentComponents.CreateRegistry());
        Assert.Empty(result.Errors);
        return result.Spec!;
    }

    [Fact]
    public void Network_backend_defaults_match_their_options_records()
    {
        var spec = Compile("""
            ingrain.pipelines {
              a.backend { type = statsd }
              b.backend { type = http, uri = "http://127.0.0.1:8080/x" }
              c.backend { type = s3, bucket = b, host = h }
            }
            """);
        Assert.Equal(new StatsDBackendOptions(), spec.Pipelines["a"].Backend.Options);
        Assert.Equal(new HttpBackendOptions { Uri = new Uri("http://127.0.0.1:8080/x") }, spec.Pipelines["b"].Backend.Options);
        Assert.Equal(new S3BackendOptions { Bucket = "b", Host = "h" }, Assert.IsType<S3BackendConfig>(spec.Pipelines["c"].Backend.Options).Options);
        Assert.Equal(TimeSpan.FromSeconds(10), spec.Pipelines["b"].Backend.FlushInterval);
        Assert.Equal(TimeSpan.FromSeconds(60), spec.Pipelines["c"].Backend.FlushInterval);
    }

    [Fact]
    public void S3_host_defaults_to_the_fqdn_looked_up_when_the_writer_is_made_not_at_compile()
    {
        var spec = Compile("ingrain.pipelines.c.backend { type = s3, bucket = b }");
        var config = Assert.IsType<S3BackendConfig>(spec.Pipelines["c"].Backend.Options);
        Assert.True(config.HostFromSystem);
        Assert.Equal(new S3BackendOptions { Bucket = "b" }, config.Options);
        Assert.Equal(SystemDetails.Read().Host, config.Resolve().Host);
    }

    [Fact]
    public void User_space_probe_defaults_match_their_options_records()
    {
        var spec = Compile("""
            ingrain.probes {
              s { type = statsd }
              c { type = command, name = link, command = [ip, -j, link] }
            }
            """);
        Assert.Equal(new StatsDProbeOptions(), spec.Probes["s"].Options);
        Assert.Equal(new CommandProbeOptions { Name = "link", Command = ["ip", "-j", "link"] }, spec.Probes["c"].Options);
    }

    [Fact]
    public void Buffer_defaults_match_its_options_record()
    {
        var spec = Compile("ingrain.pipelines.p { steps = [{ type = buffer }], backend.type = console }");
        var options = Assert.IsType<BufferOptions>(spec.Pipelines["p"].Steps[0].Options);
        Assert.Equal(BufferOptions.Default.Percentiles, options.Percentiles);
        Assert.Equal(BufferOptions.Default, options with { Percentiles = BufferOptions.Default.Percentiles });
    }
}

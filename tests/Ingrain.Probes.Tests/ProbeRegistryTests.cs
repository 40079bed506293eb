using Ingrain.Probes.Exec;
using Xunit;

namespace Ingrain.Probes.Tests;

public sealed class ProbeRegistryTests
{
    [Fact]
    public void Default_registry_knows_exec_and_network()
    {
        var registry = ProbeRegistry.CreateDefault();
        Assert.IsType<ExecModule>(registry.Get("exec"));
        Assert.IsType<Ingrain.Probes.Network.NetworkModule>(registry.Get("network"));
        Assert.Equal(["exec", "network"], registry.Types);
    }

    [Fact]
    public void Duplicate_type_or_opcode_is_refused_and_unknown_types_name_the_known_ones()
    {
        var registry = ProbeRegistry.CreateDefault();
        var sameType = Assert.Throws<InvalidOperationException>(() => registry.Register(new ExecModule()));
        Assert.Contains("\"exec\" is already registered", sameType.Message);
        var sameOp = Assert.Throws<InvalidOperationException>(() => registry.Register(new OtherModule("other", OpCode.Exit)));
        Assert.Contains("already claimed by \"exec\"", sameOp.Message);
        Assert.False(registry.TryGet("other", out _)); // a refused module leaves no trace
        var unknown = Assert.Throws<KeyNotFoundException>(() => registry.Get("exce"));
        Assert.Contains("known: exec, network", unknown.Message);
    }

    private sealed class OtherModule(string type, params OpCode[] opCodes) : IProbeModule
    {
        public string Type => type;
        public IReadOnlyList<OpCode> OpCodes => opCodes;
        public IProbe Attach(ProbeContext context) => throw new NotSupportedException("registration test only");
    }
}

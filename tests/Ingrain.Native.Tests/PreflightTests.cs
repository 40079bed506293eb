using Ingrain.Native.Errors;
using Xunit;

namespace Ingrain.Native.Tests;

public sealed class PreflightTests
{
    [Fact]
    public void A_missing_libbpf_is_a_BpfException_naming_the_setup_commands()
    {
        var e = Assert.Throws<BpfLibraryMissingException>(() => BpfPreflight.RequireLibrary("libbpf-ingrain-absent.so.1"));
        Assert.IsAssignableFrom<BpfException>(e); // what ingrain run catches
        Assert.Equal("libbpf-ingrain-absent.so.1", e.Library);
        Assert.Contains("make setup", e.Message);
        Assert.Contains("apt-get install libbpf1", e.Message);
    }

    [Fact]
    public void The_installed_libbpf_is_found() => BpfPreflight.RequireLibBpf();
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ingrain.Native;
using Xunit;

namespace Ingrain.Probes.Tests;

/// <summary>
/// The check every ABI test makes: a C# mirror of a kernel record has the C struct's size, members (in order) and
/// offsets, as the BTF of an embedded <c>bpf/abi/*_abi.bpf.o</c> describes them (opened, never loaded: needs libbpf,
/// not root).
/// </summary>
internal static class AbiLayout
{
    /// <summary>The embedded ABI object <paramref name="resource"/> (e.g. <c>bpf/exec_abi.bpf.o</c>), opened.</summary>
    public static BpfObject Open(string resource)
    {
        using var stream = typeof(AbiLayout).Assembly.GetManifestResourceStream(resource)!;
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return BpfObject.Open(bytes, "ingrain_abi");
    }

    public static void AssertSame<T>(string resource, string cStruct) where T : unmanaged
    {
        using var obj = Open(resource);
        var layout = obj.StructLayout(cStruct);
        Assert.Equal(layout.Size, Unsafe.SizeOf<T>());
        var fields = typeof(T).GetFields().Where(f => !f.IsStatic && !f.IsLiteral).Select(f => f.Name).ToList();
        Assert.Equal(layout.Offsets.Keys.Select(PascalCase), fields);
        foreach (var (member, offset) in layout.Offsets)
            Assert.True(offset == (int)Marshal.OffsetOf<T>(PascalCase(member)), $"{cStruct}.{member}: C offset {offset}, C# {Marshal.OffsetOf<T>(PascalCase(member))}");
    }

    /// <summary>C member names map to C# field names by convention: boot_ns → BootNs.</summary>
    public static string PascalCase(string snake) =>
        string.Concat(snake.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Ingrain.Probes.Kernel;
using Ingrain.Probes.Syscalls;
using Xunit;

namespace Ingrain.Probes.Tests.Syscalls;

/// <summary>The generated syscall tables, the name lookup and the C# mirrors of the object's structs.</summary>
public sealed partial class SyscallTablesTests
{
    [Fact]
    public void Both_architectures_name_their_own_numbers()
    {
        var x64 = SyscallNames.For(Architecture.X64)!;
        var arm64 = SyscallNames.For(Architecture.Arm64)!;
        Assert.Equal(("x86_64", "arm64"), (x64.Architecture, arm64.Architecture));
        Assert.Equal(("getppid", "getppid"), (x64.NameOf(110), arm64.NameOf(173)));
        Assert.Equal(("openat", "openat"), (x64.NameOf(257), arm64.NameOf(56)));
        Assert.True(x64.TryGetNumber("execve", out var execve) && execve == 59);
        Assert.True(arm64.TryGetNumber("execve", out execve) && execve == 221);
        Assert.False(arm64.TryGetNumber("open", out _)); // the generic table has openat only
        Assert.Equal("9999", x64.NameOf(9999));
        Assert.Null(SyscallNames.For(Architecture.Wasm));
        Assert.Equal(RuntimeInformation.ProcessArchitecture == Architecture.X64 ? "x86_64" : "arm64", SyscallNames.Current!.Architecture);
    }

    [Fact]
    public void The_x86_64_table_agrees_with_this_machines_kernel_headers()
    {
        // linux-libc-dev's unistd_64.h is generated from the same syscall_64.tbl (of its own, older kernel).
        const string header = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h";
        Assert.True(File.Exists(header), $"{header} is missing (linux-libc-dev)");
        var x64 = SyscallNames.For(Architecture.X64)!;
        var defines = DefineRegex().Matches(File.ReadAllText(header)).Select(d => (Name: d.Groups[1].Value, Nr: int.Parse(d.Groups[2].Value))).ToList();
        Assert.True(defines.Count > 300);
        Assert.All(defines, d => Assert.Equal(d.Name, x64.NameOf(d.Nr)));
    }

    [Fact]
    public void Suggestions_are_the_closest_name_or_none()
    {
        var x64 = SyscallNames.For(Architecture.X64)!;
        Assert.Equal("getppid", x64.Suggest("getppd"));
        Assert.Equal("openat", x64.Suggest("opnat"));
        Assert.Equal("execve", x64.Suggest("exceve"));
        Assert.Null(x64.Suggest("nothing_like_a_syscall"));
    }

    [Fact]
    public void The_mirrored_structs_match_the_objects_btf()
    {
        using var obj = EmbeddedBpfObjects.Open(EmbeddedBpfObjects.Syscalls);
        var key = obj.StructLayout("syscall_key");
        Assert.Equal(key.Size, Unsafe.SizeOf<SyscallKey>());
        Assert.Equal([("tgid", 0), ("nr", 4)], key.Offsets.Select(o => (o.Key, o.Value)));
        Assert.Equal(obj.StructLayout("syscall_comm").Size, Unsafe.SizeOf<SyscallComm>());
        Assert.Equal(SyscallBitmap.Words * 8, Unsafe.SizeOf<SyscallBitmap>());
    }

    [GeneratedRegex(@"#define __NR_(\w+) (\d+)")]
    private static partial Regex DefineRegex();
}

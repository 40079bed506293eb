using System.Text.RegularExpressions;
using Ingrain.Probes.Exec;
using Xunit;

namespace Ingrain.Probes.Tests;

/// <summary>
/// The C# mirrors of the shared records match the C structs: sizes and member offsets as BTF describes them
/// (bpf/abi/exec_abi.bpf.c, embedded in this test assembly and only opened, never loaded), and the opcode enum
/// matches the C header. Opening an object needs libbpf but neither root nor the kernel's BTF: plain facts.
/// </summary>
public sealed partial class ExecAbiTests
{
    [Fact]
    public void ExecRecord_matches_struct_exec_record() => AssertSameLayout<ExecRecord>("exec_record");

    [Fact]
    public void ExitRecord_matches_struct_exit_record() => AssertSameLayout<ExitRecord>("exit_record");

    private static void AssertSameLayout<T>(string cStruct) where T : unmanaged => AbiLayout.AssertSame<T>("bpf/exec_abi.bpf.o", cStruct);

    private static string PascalCase(string snake) => AbiLayout.PascalCase(snake); // also for the enum names below

    [Fact]
    public void OpCode_matches_enum_ingrain_op()
    {
        var header = File.ReadAllText(RepoFiles.Path("bpf/include/ingrain.h"));
        var body = Regex.Match(header, @"enum ingrain_op \{(.*?)\};", RegexOptions.Singleline).Groups[1].Value;
        var c = EnumEntry().Matches(body).ToDictionary(m => PascalCase(m.Groups[1].Value.ToLowerInvariant()), m => int.Parse(m.Groups[2].Value));
        var cs = Enum.GetValues<OpCode>().ToDictionary(v => v.ToString(), v => (int)v);
        Assert.NotEmpty(c);
        Assert.Equal(c.OrderBy(p => p.Key), cs.OrderBy(p => p.Key));
    }

    [GeneratedRegex(@"INGRAIN_OP_(\w+)\s*=\s*(\d+)")]
    private static partial Regex EnumEntry();
}

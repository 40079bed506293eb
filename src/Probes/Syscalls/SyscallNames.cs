using System.Globalization;
using System.Runtime.InteropServices;
using Ingrain.Topology.Configuration;

namespace Ingrain.Probes.Syscalls;

/// <summary>
/// The running architecture's syscall numbers and names (tables generated from the kernel's, see
/// <see cref="SyscallTables"/>): names for the config, numbers for the kernel, and a suggestion for a mistyped name.
/// </summary>
public sealed class SyscallNames
{
    private readonly IReadOnlyDictionary<int, string> _byNumber;
    private readonly Dictionary<string, int> _byName;

    private SyscallNames(string architecture, IReadOnlyDictionary<int, string> byNumber)
    {
        Architecture = architecture;
        _byNumber = byNumber;
        _byName = byNumber.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }

    /// <summary>The table of the architecture this process runs on; null when there is none (only x86_64 and arm64 have one).</summary>
    public static SyscallNames? Current { get; } = For(RuntimeInformation.ProcessArchitecture);

    public static SyscallNames? For(Architecture architecture) => architecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => new SyscallNames("x86_64", SyscallTables.X64),
        System.Runtime.InteropServices.Architecture.Arm64 => new SyscallNames("arm64", SyscallTables.Arm64),
        _ => null,
    };

    public string Architecture { get; }

    public int Count => _byNumber.Count;

    public bool TryGetNumber(string name, out int number) => _byName.TryGetValue(name, out number);

    /// <summary>The syscall's name, or its number in decimal when the table has none (a syscall newer than the table).</summary>
    public string NameOf(int number) => _byNumber.TryGetValue(number, out var name) ? name : number.ToString(CultureInfo.InvariantCulture);

    /// <summary>The known name closest to <paramref name="name"/> (at most a third of its letters off), or null.</summary>
    public string? Suggest(string name)
    {
        string? best = null;
        int bestDistance = int.MaxValue, bestPrefix = -1;
        foreach (var known in _byName.Keys.Order(StringComparer.Ordinal))
        {
            // Ties go to the longer common prefix (getppd: getppid, not getpid), then to the first in order.
            var d = DidYouMean.Distance(name, known);
            var prefix = CommonPrefix(name, known);
            if (d < bestDistance || (d == bestDistance && prefix > bestPrefix))
            {
                best = known;
                bestDistance = d;
                bestPrefix = prefix;
            }
        }
        return bestDistance <= Math.Max(1, name.Length / 3) ? best : null;
    }

    private static int CommonPrefix(string a, string b)
    {
        var n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n]) n++;
        return n;
    }
}

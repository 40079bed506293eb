using Ingrain.Native;

namespace Ingrain.Probes.Sockets;

/// <summary>Attaches a loaded program where its ELF section says: a classic or BTF tracepoint, or a cgroup hook at the
/// cgroup v2 root. Iterators are run, not attached (<see cref="BpfProgram.RunIterator"/>).</summary>
internal static class AttachBySection
{
    public static BpfLink Attach(BpfProgram program, string cgroupRoot)
    {
        var section = program.Section;
        if (section.StartsWith("cgroup/", StringComparison.Ordinal) || section.StartsWith("cgroup_skb/", StringComparison.Ordinal))
            return program.AttachCgroup(cgroupRoot);
        if (section.StartsWith("tp_btf/", StringComparison.Ordinal)) return program.AttachBtfTracepoint();
        if (section.StartsWith("tracepoint/", StringComparison.Ordinal))
        {
            var parts = section.Split('/');
            if (parts.Length == 3) return program.AttachTracepoint(parts[1], parts[2]);
        }
        throw new InvalidOperationException($"{program.Name}: no attach rule for section {section}");
    }

    public static bool IsIterator(BpfProgram program) => program.Section.StartsWith("iter/", StringComparison.Ordinal);
}

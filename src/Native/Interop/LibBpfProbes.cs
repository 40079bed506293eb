using System.Runtime.InteropServices;

namespace Ingrain.Native.Interop;

/// <summary>libbpf's feature probes, the kernel's BTF and libbpf's own version.</summary>
internal static unsafe partial class LibBpf
{
    /// <summary>1: the kernel supports the program type, 0: it does not, &lt;0: -errno (could not probe, e.g. EPERM).</summary>
    [LibraryImport(Lib, EntryPoint = "libbpf_probe_bpf_prog_type")]
    internal static partial int ProbeProgramType(int progType, void* opts);

    [LibraryImport(Lib, EntryPoint = "libbpf_probe_bpf_map_type")]
    internal static partial int ProbeMapType(int mapType, void* opts);

    [LibraryImport(Lib, EntryPoint = "btf__load_vmlinux_btf", SetLastError = true)]
    internal static partial nint BtfLoadVmlinux();

    [LibraryImport(Lib, EntryPoint = "btf__free")]
    internal static partial void BtfFree(nint btf);

    [LibraryImport(Lib, EntryPoint = "libbpf_major_version")]
    internal static partial uint MajorVersion();

    [LibraryImport(Lib, EntryPoint = "libbpf_minor_version")]
    internal static partial uint MinorVersion();

    internal const uint BtfKindTypedef = 8;
}

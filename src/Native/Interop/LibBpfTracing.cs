using System.Runtime.InteropServices;

namespace Ingrain.Native.Interop;

/// <summary>libbpf entry points for BTF tracepoints (<c>tp_btf</c>), iterators and maps shared between objects.</summary>
internal static unsafe partial class LibBpf
{
    /// <summary>Attaches by the program's section (<c>tp_btf/…</c>, <c>iter/…</c> without options).</summary>
    [LibraryImport(Lib, EntryPoint = "bpf_program__attach", SetLastError = true)]
    internal static partial nint ProgramAttach(nint prog);

    [LibraryImport(Lib, EntryPoint = "bpf_iter_create", SetLastError = true)]
    internal static partial int IterCreate(int linkFd);

    [LibraryImport(Lib, EntryPoint = "bpf_map__reuse_fd", SetLastError = true)]
    internal static partial int MapReuseFd(nint map, int fd);
}

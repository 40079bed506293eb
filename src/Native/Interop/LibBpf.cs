using System.Runtime.InteropServices;

namespace Ingrain.Native.Interop;

/// <summary>
/// P/Invoke declarations for the distro's libbpf.so.1 (≥ 1.0, strict mode: pointer-returning functions
/// return NULL and set errno; int-returning ones return -errno). Every call that can fail sets the last error.
/// </summary>
internal static unsafe partial class LibBpf
{
    internal const string Lib = "libbpf.so.1";

    [StructLayout(LayoutKind.Sequential)]
    internal struct ObjectOpenOpts
    {
        public nuint Size;          // sizeof the part libbpf may read: it ignores fields beyond it
        public byte* ObjectName;
    }

    [LibraryImport(Lib, EntryPoint = "bpf_object__open_mem", SetLastError = true)]
    internal static partial nint ObjectOpenMem(byte* buffer, nuint size, ObjectOpenOpts* opts);

    [LibraryImport(Lib, EntryPoint = "bpf_object__load", SetLastError = true)]
    internal static partial int ObjectLoad(nint obj);

    [LibraryImport(Lib, EntryPoint = "bpf_object__close")]
    internal static partial void ObjectClose(nint obj);

    [LibraryImport(Lib, EntryPoint = "bpf_object__name")]
    internal static partial byte* ObjectName(nint obj);

    [LibraryImport(Lib, EntryPoint = "bpf_object__btf")]
    internal static partial nint ObjectBtf(nint obj);

    [LibraryImport(Lib, EntryPoint = "bpf_object__next_program")]
    internal static partial nint ObjectNextProgram(nint obj, nint previous);

    [LibraryImport(Lib, EntryPoint = "bpf_object__next_map")]
    internal static partial nint ObjectNextMap(nint obj, nint previous);

    [LibraryImport(Lib, EntryPoint = "bpf_program__name")]
    internal static partial byte* ProgramName(nint prog);

    [LibraryImport(Lib, EntryPoint = "bpf_program__section_name")]
    internal static partial byte* ProgramSectionName(nint prog);

    [LibraryImport(Lib, EntryPoint = "bpf_program__fd")]
    internal static partial int ProgramFd(nint prog);

    [LibraryImport(Lib, EntryPoint = "bpf_program__set_autoload")]
    internal static partial int ProgramSetAutoload(nint prog, [MarshalAs(UnmanagedType.U1)] bool autoload);

    [LibraryImport(Lib, EntryPoint = "bpf_program__attach_tracepoint", SetLastError = true)]
    internal static partial nint ProgramAttachTracepoint(nint prog, byte* category, byte* name);

    [LibraryImport(Lib, EntryPoint = "bpf_program__attach_raw_tracepoint", SetLastError = true)]
    internal static partial nint ProgramAttachRawTracepoint(nint prog, byte* name);

    [LibraryImport(Lib, EntryPoint = "bpf_program__attach_cgroup", SetLastError = true)]
    internal static partial nint ProgramAttachCgroup(nint prog, int cgroupFd);

    [LibraryImport(Lib, EntryPoint = "bpf_link__destroy")]
    internal static partial int LinkDestroy(nint link);

    [LibraryImport(Lib, EntryPoint = "bpf_link__fd")]
    internal static partial int LinkFd(nint link);

    [LibraryImport(Lib, EntryPoint = "bpf_map__fd")]
    internal static partial int MapFd(nint map);

    [LibraryImport(Lib, EntryPoint = "bpf_map__name")]
    internal static partial byte* MapName(nint map);

    [LibraryImport(Lib, EntryPoint = "bpf_map__type")]
    internal static partial int MapType(nint map);

    [LibraryImport(Lib, EntryPoint = "bpf_map__key_size")]
    internal static partial uint MapKeySize(nint map);

    [LibraryImport(Lib, EntryPoint = "bpf_map__value_size")]
    internal static partial uint MapValueSize(nint map);

    [LibraryImport(Lib, EntryPoint = "bpf_map__max_entries")]
    internal static partial uint MapMaxEntries(nint map);

    [LibraryImport(Lib, EntryPoint = "bpf_map__set_max_entries")]
    internal static partial int MapSetMaxEntries(nint map, uint maxEntries);

    [LibraryImport(Lib, EntryPoint = "bpf_map__initial_value")]
    internal static partial byte* MapInitialValue(nint map, nuint* size);

    [LibraryImport(Lib, EntryPoint = "bpf_map_lookup_elem", SetLastError = true)]
    internal static partial int MapLookupElem(int fd, void* key, void* value);

    [LibraryImport(Lib, EntryPoint = "bpf_map_update_elem", SetLastError = true)]
    internal static partial int MapUpdateElem(int fd, void* key, void* value, ulong flags);

    [LibraryImport(Lib, EntryPoint = "bpf_map_delete_elem", SetLastError = true)]
    internal static partial int MapDeleteElem(int fd, void* key);

    [LibraryImport(Lib, EntryPoint = "bpf_map_get_next_key", SetLastError = true)]
    internal static partial int MapGetNextKey(int fd, void* key, void* nextKey);

    [LibraryImport(Lib, EntryPoint = "bpf_obj_get_info_by_fd", SetLastError = true)]
    internal static partial int ObjGetInfoByFd(int fd, void* info, uint* infoLength);

    [LibraryImport(Lib, EntryPoint = "bpf_prog_get_fd_by_id", SetLastError = true)]
    internal static partial int ProgGetFdById(uint id);

    [LibraryImport(Lib, EntryPoint = "bpf_link_get_fd_by_id", SetLastError = true)]
    internal static partial int LinkGetFdById(uint id);

    [LibraryImport(Lib, EntryPoint = "libbpf_num_possible_cpus")]
    internal static partial int NumPossibleCpus();

    [LibraryImport(Lib, EntryPoint = "libbpf_set_print")]
    internal static partial nint SetPrint(delegate* unmanaged<int, byte*, nint, int> print);

    [LibraryImport(Lib, EntryPoint = "btf__find_by_name_kind", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int BtfFindByNameKind(nint btf, string name, uint kind);

    [LibraryImport(Lib, EntryPoint = "btf__type_by_id")]
    internal static partial BtfType* BtfTypeById(nint btf, uint id);

    [LibraryImport(Lib, EntryPoint = "btf__name_by_offset")]
    internal static partial byte* BtfNameByOffset(nint btf, uint offset);

    [LibraryImport(Lib, EntryPoint = "ring_buffer__new", SetLastError = true)]
    internal static partial nint RingBufferNew(int mapFd, delegate* unmanaged<nint, byte*, nuint, int> sample, nint ctx, void* opts);

    [LibraryImport(Lib, EntryPoint = "ring_buffer__free")]
    internal static partial void RingBufferFree(nint rb);

    [LibraryImport(Lib, EntryPoint = "ring_buffer__consume", SetLastError = true)]
    internal static partial int RingBufferConsume(nint rb);

    [LibraryImport(Lib, EntryPoint = "ring_buffer__epoll_fd")]
    internal static partial int RingBufferEpollFd(nint rb);

    /// <summary><c>struct btf_type</c>: followed in memory by <c>vlen</c> kind-specific entries.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BtfType
    {
        public uint NameOff;
        public uint Info;        // vlen: bits 0-15, kind: bits 24-28, kind_flag: bit 31
        public uint SizeOrType;

        public readonly int Vlen => (int)(Info & 0xffff);
        public readonly uint Kind => (Info >> 24) & 0x1f;
        public readonly bool KindFlag => (Info >> 31) != 0;
    }

    /// <summary><c>struct btf_member</c> (kind STRUCT/UNION).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BtfMember
    {
        public uint NameOff;
        public uint Type;
        public uint Offset;      // bits; with kind_flag: bitfield size in bits 24-31, offset in 0-23
    }

    /// <summary><c>struct btf_var_secinfo</c> (kind DATASEC).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BtfVarSecinfo
    {
        public uint Type;
        public uint Offset;
        public uint Size;
    }

    internal const uint BtfKindStruct = 4;
    internal const uint BtfKindDatasec = 15;
    internal const int MapTypeRingbuf = 27;
    internal const int MapTypePerCpuArray = 6;
    internal const int MapTypePerCpuHash = 5;
    internal const int MapTypeLruPerCpuHash = 10;

    internal static string? Utf8(byte* s) => s == null ? null : Marshal.PtrToStringUTF8((nint)s);
}

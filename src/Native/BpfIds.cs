using Ingrain.Native.Interop;

namespace Ingrain.Native;

/// <summary>Kernel-wide ids of BPF programs and links: to show them, and to check that one is gone.</summary>
public static unsafe class BpfIds
{
    /// <summary>Whether a program with this id is still loaded anywhere in the kernel.</summary>
    public static bool ProgramExists(uint id) => Exists(LibBpf.ProgGetFdById(id));

    /// <summary>Whether a link with this id still exists anywhere in the kernel.</summary>
    public static bool LinkExists(uint id) => Exists(LibBpf.LinkGetFdById(id));

    private static bool Exists(int fd)
    {
        if (fd < 0) return false;
        LibC.Close(fd);
        return true;
    }

    /// <summary>The id in <c>bpf_{prog,map,link}_info</c>: all three start with <c>__u32 type; __u32 id;</c>.</summary>
    internal static uint IdOfFd(int fd)
    {
        if (fd < 0) return 0;
        var info = stackalloc uint[2];
        uint length = 8;
        return LibBpf.ObjGetInfoByFd(fd, info, &length) == 0 ? info[1] : 0;
    }
}

using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Ingrain.Topology.Security;

/// <summary>What statx(2) says about a file: type, permission bits, owner, links and size.</summary>
public readonly record struct FileStatus(uint Mode, uint Uid, uint Gid, uint Links, long Size)
{
    private const uint TypeMask = 0xF000;

    public bool IsRegular => (Mode & TypeMask) == 0x8000;
    public bool IsDirectory => (Mode & TypeMask) == 0x4000;
    public bool IsSymlink => (Mode & TypeMask) == 0xA000;
    public bool IsCharacterDevice => (Mode & TypeMask) == 0x2000;

    /// <summary>The permission bits, including setuid/setgid/sticky (<c>0o7777</c>).</summary>
    public uint Permissions => Mode & 0xFFF;

    public bool IsSticky => (Mode & 0x200) != 0;

    /// <summary>"a directory", "a FIFO", … for messages.</summary>
    public string Kind => (Mode & TypeMask) switch
    {
        0x8000 => "a regular file",
        0x4000 => "a directory",
        0xA000 => "a symbolic link",
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "an unknown kind of file",
    };
}

/// <summary>
/// The few POSIX calls .NET has no API for, used where files must be opened safely: open(2) with
/// <c>O_NOFOLLOW</c>/<c>O_NONBLOCK</c> and a creation mode, statx(2) (one struct layout on every architecture, unlike
/// stat(2)), realpath(3) and the effective user id. Flag values are the generic Linux ones (x86-64 and arm64).
/// </summary>
public static partial class Posix
{
    public const int ReadOnly = 0;           // O_RDONLY
    public const int WriteOnly = 1;          // O_WRONLY
    public const int Create = 0x40;          // O_CREAT
    public const int Exclusive = 0x80;       // O_EXCL
    public const int Truncate = 0x200;       // O_TRUNC
    public const int NonBlocking = 0x800;    // O_NONBLOCK: a FIFO with no writer must not block the open
    public const int NoFollow = 0x20000;     // O_NOFOLLOW: a symbolic link as the last component fails with ELOOP
    public const int CloseOnExec = 0x80000;  // O_CLOEXEC

    private const int Eloop = 40;
    private const int Enxio = 6;
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7FF;
    private const int StatxSize = 256;

    /// <summary>open(2); throws <see cref="IOException"/> naming the file and the reason. A symbolic link refused by
    /// <see cref="NoFollow"/> gets a message of its own.</summary>
    public static SafeFileHandle Open(string path, int flags, uint mode = 0)
    {
        var fd = OpenNative(path, flags | CloseOnExec, mode);
        if (fd >= 0) return new SafeFileHandle(fd, ownsHandle: true);
        var errno = Marshal.GetLastPInvokeError();
        if (errno == Eloop && (flags & NoFollow) != 0)
            throw new IOException($"{path} is a symbolic link; refused (links are never followed here, so a link planted by another user cannot redirect the write)");
        if (errno == Enxio && (flags & NonBlocking) != 0)
            throw new IOException($"{path} is a FIFO (or device) with no reader; refused, not a regular file");
        throw new IOException($"cannot open {path}: {new Win32Exception(errno).Message}");
    }

    /// <summary>statx(2) of an open file.</summary>
    public static FileStatus Stat(SafeFileHandle handle) => StatCore((int)handle.DangerousGetHandle(), "", AtEmptyPath, "the open file");

    /// <summary>lstat: the entry itself, a symbolic link is not followed. Null when it does not exist.</summary>
    public static FileStatus? LinkStat(string path)
    {
        try
        {
            return StatCore(AtFdCwd, path, AtSymlinkNoFollow, path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static unsafe FileStatus StatCore(int dirfd, string path, int flags, string what)
    {
        var buffer = stackalloc byte[StatxSize];
        if (Statx(dirfd, path, flags, StatxBasicStats, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == 2) throw new FileNotFoundException($"{what} does not exist");
            throw new IOException($"cannot stat {what}: {new Win32Exception(errno).Message}");
        }
        // struct statx: stx_nlink at 16, stx_uid 20, stx_gid 24, stx_mode (u16) 28, stx_size 40.
        return new FileStatus(*(ushort*)(buffer + 28), *(uint*)(buffer + 20), *(uint*)(buffer + 24), *(uint*)(buffer + 16), *(long*)(buffer + 40));
    }

    /// <summary>The canonical path (every symbolic link resolved), or null when it cannot be resolved.</summary>
    public static string? RealPath(string path)
    {
        var resolved = RealPathNative(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    /// <summary>fchmod(2).</summary>
    public static void ChangeMode(SafeFileHandle handle, uint mode)
    {
        if (Fchmod((int)handle.DangerousGetHandle(), mode) != 0)
            throw new IOException($"cannot change the file's mode: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
    }

    public static uint EffectiveUserId => GetEuid();

    public const int ReadWrite = 2; // O_RDWR

    /// <summary>flock(LOCK_EX | LOCK_NB): false when another open file description holds the lock.</summary>
    public static bool TryLockExclusive(SafeFileHandle handle)
    {
        if (Flock((int)handle.DangerousGetHandle(), 2 | 4) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == 11) return false; // EWOULDBLOCK
        throw new IOException($"flock failed: {new Win32Exception(errno).Message}");
    }

    /// <summary>statfs(2) f_type of the filesystem holding <paramref name="path"/> (PROC_SUPER_MAGIC, …), or null.</summary>
    public static unsafe long? FileSystemType(string path)
    {
        var buffer = stackalloc byte[256]; // struct statfs is 120 bytes on 64-bit Linux; f_type comes first
        return StatFs(path, buffer) == 0 ? *(long*)buffer : null;
    }

    /// <summary>access(2) with the effective ids: may this process execute <paramref name="path"/>?</summary>
    public static bool CanExecute(string path) => FaccessAt(AtFdCwd, path, 1 /* X_OK */, 0x200 /* AT_EACCESS */) == 0;

    /// <summary>access(2) with the effective ids: may this process write <paramref name="path"/>?</summary>
    public static bool CanWrite(string path) => FaccessAt(AtFdCwd, path, 2 /* W_OK */, 0x200 /* AT_EACCESS */) == 0;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenNative(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPathNative(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    private static partial int Fchmod(int fd, uint mode);

    [LibraryImport("libc", EntryPoint = "statfs", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int StatFs(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "faccessat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int FaccessAt(int dirfd, string path, int mode, int flags);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();
}

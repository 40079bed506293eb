using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Ingrain.Backends.S3;

/// <summary>
/// fsync(2) of a directory, which .NET has no API for: after a rename, the new directory entry survives a power
/// failure only once the directory itself is synced (syncing the file alone is not enough).
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY
    private const int CloseOnExec = 0x80000; // O_CLOEXEC (same value on x86-64 and arm64)

    /// <summary>Syncs <paramref name="directory"/>'s entries to disk; throws <see cref="IOException"/> when it cannot.</summary>
    public static void Flush(string directory)
    {
        var fd = Open(directory, ReadOnly | CloseOnExec);
        if (fd < 0) throw Failure("open", directory);
        try
        {
            if (Fsync(fd) != 0) throw Failure("fsync", directory);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static IOException Failure(string call, string directory) =>
        new($"{call} of directory '{directory}' failed: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}

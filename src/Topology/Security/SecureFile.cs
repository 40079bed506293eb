using Microsoft.Win32.SafeHandles;

namespace Ingrain.Topology.Security;

/// <summary>
/// Opens files the agent writes (backend output, spool) so that a link or file planted by another user cannot
/// redirect the write: <c>O_NOFOLLOW</c> (a symbolic link is refused), <c>O_NONBLOCK</c> (a planted FIFO fails instead
/// of blocking), only regular files with a single link (a hard link to another file is refused), created with a mode
/// that keeps other users out, and an existing file's mode narrowed to it. Before, the file backend followed a
/// symlink in a world-writable directory and appended to a root-owned 0600 file, and wrote 0644 output.
/// </summary>
public static class SecureFile
{
    /// <summary>Output files: owner read/write, group read (<c>0640</c>).</summary>
    public const uint OutputMode = 0x1A0;

    /// <summary>Spool and lock files: the agent alone (<c>0600</c>).</summary>
    public const uint PrivateMode = 0x180;

    /// <summary>Opens <paramref name="path"/> for appending (created with <paramref name="mode"/>), positioned at its end.</summary>
    public static FileStream OpenAppend(string path, uint mode)
    {
        var stream = new FileStream(OpenChecked(path, Posix.WriteOnly | Posix.Create, mode), FileAccess.Write, bufferSize: 1);
        stream.Seek(0, SeekOrigin.End);
        return stream;
    }

    /// <summary>Creates or truncates <paramref name="path"/> for writing.</summary>
    public static FileStream Create(string path, uint mode) =>
        new(OpenChecked(path, Posix.WriteOnly | Posix.Create | Posix.Truncate, mode), FileAccess.Write, bufferSize: 1);

    /// <summary>Opens (creating) <paramref name="path"/> read/write, e.g. a lock file.</summary>
    public static FileStream OpenOrCreate(string path, uint mode) =>
        new(OpenChecked(path, Posix.ReadWrite | Posix.Create, mode), FileAccess.ReadWrite, bufferSize: 1);

    private static SafeFileHandle OpenChecked(string path, int flags, uint mode)
    {
        var handle = Posix.Open(path, flags | Posix.NoFollow | Posix.NonBlocking, mode);
        try
        {
            var status = Posix.Stat(handle);
            // A character device (/dev/null as a discard sink) only root can create, so it is no plant; a FIFO anyone can.
            if (status.IsCharacterDevice && (flags & Posix.Truncate) == 0) return handle;
            if (!status.IsRegular) throw new IOException($"{path} is {status.Kind}, not a regular file; refused");
            if (status.Links > 1) throw new IOException($"{path} has {status.Links} hard links; refused (it could be another file under a second name)");
            if ((status.Permissions & ~mode & 0x1FF) != 0) TryNarrow(handle, status.Permissions & mode);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void TryNarrow(SafeFileHandle handle, uint mode)
    {
        try
        {
            Posix.ChangeMode(handle, mode);
        }
        catch (IOException)
        {
            // Not ours to change (another owner): the write itself is still safe, only its readers are wider.
        }
    }
}

namespace Ingrain.Topology.Security;

/// <summary>
/// Opens configuration files (the pipeline file and every file it includes) the way the agent accepts them: regular
/// files only (a FIFO would block the agent for ever, <c>/dev/zero</c> would grow without bound), at most
/// <see cref="MaxBytes"/> each, and, when the agent is privileged, only files no other user can change
/// (<see cref="ConfigPermissionGuard"/>). Used as <see cref="Ingrain.Hocon.HoconParseOptions.OpenFile"/> on start,
/// check-config and reload alike.
/// </summary>
public sealed class ConfigFileOpener(ConfigPermissionGuard guard)
{
    /// <summary>The largest configuration file accepted, each file counted on its own: 4 MiB (docs/configuration.md).
    /// A pipeline file is a few kilobytes; the limit keeps a mistaken or hostile input from taking minutes and gigabytes.</summary>
    public const long MaxBytes = 4L * 1024 * 1024;

    public Stream Open(string path)
    {
        // O_NONBLOCK: opening a FIFO that has no writer returns at once (and is then refused) instead of blocking.
        using var handle = Posix.Open(path, Posix.ReadOnly | Posix.NonBlocking);
        var status = Posix.Stat(handle);
        if (!status.IsRegular) throw new ConfigFileRefusedException($"{path} is {status.Kind}, not a regular file; only regular files are read as configuration");
        if (status.Size > MaxBytes) throw TooLarge(path, status.Size);
        guard.Check(path, handle);

        // Read through the handle that was checked, never the path again, and never more than the limit (the file may grow).
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int n;
        while ((n = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + n > MaxBytes) throw TooLarge(path, buffer.Length + n);
            buffer.Write(chunk, 0, n);
        }
        buffer.Position = 0;
        return buffer;
    }

    private static ConfigFileRefusedException TooLarge(string path, long size) =>
        new($"{path} is {size} bytes, more than the {MaxBytes} bytes (4 MiB) a configuration file may have");
}

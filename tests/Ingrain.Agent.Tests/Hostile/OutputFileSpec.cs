using Ingrain.Backends.Files;
using Ingrain.Backends.S3;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Ingrain.Agent.Tests.Hostile;

/// <summary>
/// Issue 10 item 1, output side: the file backend followed a symlink planted in a world-writable directory (and
/// appended to a root-owned 0600 file), and wrote its output 0644, so every user's command lines were world-readable.
/// </summary>
public sealed class OutputFileSpec : IDisposable
{
    private const UnixFileMode OtherBits = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
    private static readonly Measurement Exec = new(1700000000123456789, MeasurementKind.Counter, "process.exec",
        MeasurementValue.Count(1), Tags.Of(("command_str", "mysql -psecret")));

    private readonly HostileDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static FileBackendOptions Options(string path) => new(path, 1 << 20, 2, JsonLineEncoding.Ingrain);

    [Fact]
    public async Task The_file_backend_creates_its_output_without_access_for_others()
    {
        var path = Path.Combine(_dir.Path, "events.ndjson");
        await using (var writer = new FileBackendWriter(Options(path)))
            await writer.WriteAsync([Exec], default);
        Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(path) & OtherBits);
        Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(path) & UnixFileMode.GroupWrite);
    }

    [Fact]
    public async Task An_existing_world_readable_output_is_narrowed()
    {
        var path = _dir.Write("events.ndjson", "", (UnixFileMode)0b110_110_110);
        await using (var writer = new FileBackendWriter(Options(path)))
            await writer.WriteAsync([Exec], default);
        Assert.Equal((UnixFileMode)0b110_100_000, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_symlink_planted_at_the_output_path_is_refused_and_its_target_untouched()
    {
        var target = _dir.Write("shadow", "root:secret\n", (UnixFileMode)0b110_000_000);
        var path = Path.Combine(_dir.Path, "events.ndjson");
        File.CreateSymbolicLink(path, target);
        var e = Assert.Throws<IOException>(() => new FileBackendWriter(Options(path)));
        Assert.Contains("is a symbolic link; refused", e.Message);
        Assert.Equal("root:secret\n", File.ReadAllText(target));
    }

    [Fact]
    public void A_hard_link_or_fifo_at_the_output_path_is_refused()
    {
        var target = _dir.Write("other", "x");
        var path = Path.Combine(_dir.Path, "events.ndjson");
        HostileDirectory.Run("ln", target, path);
        Assert.Contains("hard links; refused", Assert.Throws<IOException>(() => new FileBackendWriter(Options(path))).Message);
        File.Delete(path);
        HostileDirectory.Run("mkfifo", path);
        Assert.Contains("is a FIFO", Assert.Throws<IOException>(() => new FileBackendWriter(Options(path))).Message);
    }

    [Fact]
    public void S3_spool_files_and_directory_are_the_agents_alone()
    {
        var dir = Path.Combine(_dir.Path, "spool");
        using (var spool = new S3Spool(dir, 1 << 20, new BackendCounters(), NullLogger.Instance))
            Assert.True(spool.TryAdd("ingrain/x.ndjson.gz", 1, "body"u8));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
        foreach (var file in Directory.EnumerateFiles(dir))
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public void A_symlink_planted_as_the_spool_lock_is_refused()
    {
        var dir = Path.Combine(_dir.Path, "spool");
        Directory.CreateDirectory(dir);
        var target = _dir.Write("victim", "keep");
        File.CreateSymbolicLink(Path.Combine(dir, ".lock"), target);
        Assert.ThrowsAny<IOException>(() => new S3Spool(dir, 1 << 20, new BackendCounters(), NullLogger.Instance));
        Assert.Equal("keep", File.ReadAllText(target));
    }
}

using System.Text;

namespace Ingrain.Probes.Files;

/// <summary>Open flags (x86_64 values of <c>O_*</c>) as <c>flags_str</c>: the access mode, then every other flag set, <c>|</c>-joined.</summary>
public static class OpenFlags
{
    private static readonly (uint Bit, string Name)[] Bits =
    [
        (0x40, "O_CREAT"), (0x80, "O_EXCL"), (0x100, "O_NOCTTY"), (0x200, "O_TRUNC"), (0x400, "O_APPEND"),
        (0x800, "O_NONBLOCK"), (0x1000, "O_DSYNC"), (0x2000, "O_ASYNC"), (0x4000, "O_DIRECT"), (0x8000, "O_LARGEFILE"),
        (0x10000, "O_DIRECTORY"), (0x20000, "O_NOFOLLOW"), (0x40000, "O_NOATIME"), (0x80000, "O_CLOEXEC"),
        (0x200000, "O_PATH"), (0x400000, "O_TMPFILE"),
    ];

    // O_SYNC is __O_SYNC | O_DSYNC; O_TMPFILE is __O_TMPFILE | O_DIRECTORY: each shown by its user-space name.
    private const uint Sync = 0x101000, TmpFile = 0x410000;

    public static string Format(uint flags)
    {
        var s = new StringBuilder((flags & 3) switch { 0 => "O_RDONLY", 1 => "O_WRONLY", 2 => "O_RDWR", _ => "O_ACCMODE" });
        var rest = flags & ~3u;
        if ((rest & Sync) == Sync)
        {
            s.Append("|O_SYNC");
            rest &= ~Sync;
        }
        if ((rest & TmpFile) == TmpFile)
        {
            s.Append("|O_TMPFILE");
            rest &= ~TmpFile;
        }
        foreach (var (bit, name) in Bits)
        {
            if ((rest & bit) == 0) continue;
            s.Append('|').Append(name);
            rest &= ~bit;
        }
        if (rest != 0) s.Append("|0x").Append(rest.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        return s.ToString();
    }
}

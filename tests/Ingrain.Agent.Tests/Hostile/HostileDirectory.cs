using System.Diagnostics;

namespace Ingrain.Agent.Tests.Hostile;

/// <summary>A private temporary directory (0700, owned by the test's user) for hostile configuration files.</summary>
internal sealed class HostileDirectory : IDisposable
{
    public HostileDirectory() => Path = Directory.CreateTempSubdirectory("ingrain-hostile-").FullName;

    public string Path { get; }

    public string Write(string name, string text, UnixFileMode? mode = null)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        if (mode is { } m) File.SetUnixFileMode(path, m);
        return path;
    }

    public static void Run(string program, params string[] args)
    {
        using var p = Process.Start(program, args);
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {p.ExitCode}");
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

using System.Runtime.InteropServices;
using Ingrain.Native.Interop;
using Microsoft.Extensions.Logging;

namespace Ingrain.Native;

/// <summary>
/// Routes libbpf's printf-style messages: into the active <see cref="Capture"/> of the calling thread (so a
/// failed load can carry everything libbpf said, verifier log included), and to <see cref="Logger"/>.
/// libbpf's print hook is process-wide; it is installed once, on first use of <see cref="Ensure"/>.
/// </summary>
public static unsafe class LibBpfLog
{
    private const int LevelWarn = 0, LevelInfo = 1;
    private static readonly object Gate = new();
    private static bool _installed;

    [ThreadStatic] private static List<string>? _capture;

    /// <summary>Where libbpf's messages go besides captures (warnings as Warning, info as Debug, debug as Trace).</summary>
    public static ILogger? Logger { get; set; }

    internal static void Ensure()
    {
        if (_installed) return;
        lock (Gate)
        {
            if (_installed) return;
            try
            {
                LibBpf.SetPrint(&Print);
            }
            catch (DllNotFoundException)
            {
                // Opening any BPF object comes through here first: a missing library becomes a typed error.
                throw new Errors.BpfLibraryMissingException(LibBpf.Lib);
            }
            _installed = true;
        }
    }

    /// <summary>Collects libbpf's messages on this thread until disposed; <see cref="Lines"/> has them, one per line.</summary>
    internal sealed class Capture : IDisposable
    {
        private readonly List<string>? _outer = _capture;

        public Capture()
        {
            Ensure();
            _capture = Lines;
        }

        public List<string> Lines { get; } = [];

        public void Dispose() => _capture = _outer;
    }

    [UnmanagedCallersOnly]
    private static int Print(int level, byte* format, nint args)
    {
        try
        {
            var capture = _capture;
            var logger = Logger;
            var logLevel = level switch { LevelWarn => LogLevel.Warning, LevelInfo => LogLevel.Debug, _ => LogLevel.Trace };
            var wanted = (capture is not null && level <= LevelInfo) || (logger?.IsEnabled(logLevel) ?? false);
            if (!wanted) return 0;

            var text = Format(format, args);
            if (capture is not null && level <= LevelInfo)
            {
                foreach (var line in text.Split('\n'))
                {
                    if (line.Length > 0) capture.Add(line);
                }
            }
            logger?.Log(logLevel, "libbpf: {Message}", text.TrimEnd());
        }
        catch (Exception)
        {
            // An exception must not cross back into libbpf (it would abort the process); a lost log line is harmless.
        }
        return 0;
    }

    /// <summary>
    /// vsnprintf with a retry for long messages (verifier logs). On x86-64 a <c>va_list</c> argument is a pointer
    /// to a 24-byte <c>__va_list_tag</c>; copying that struct is exactly what <c>va_copy</c> does, so each attempt
    /// formats from a fresh copy. Other architectures lay va_list out differently: there the raw format string is
    /// returned (placeholders unexpanded) rather than risk reading a va_list wrongly.
    /// </summary>
    private static string Format(byte* format, nint args)
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64) return Marshal.PtrToStringUTF8((nint)format) ?? "";
        const int VaListSize = 24;
        var copy = stackalloc byte[VaListSize];
        Buffer.MemoryCopy((void*)args, copy, VaListSize, VaListSize);
        const int StackSize = 2048;
        var small = stackalloc byte[StackSize];
        var n = LibC.VsnPrintf(small, StackSize, format, copy);
        if (n < 0) return "";
        if (n < StackSize) return Marshal.PtrToStringUTF8((nint)small, n);

        var big = (byte*)NativeMemory.Alloc((nuint)n + 1);
        try
        {
            Buffer.MemoryCopy((void*)args, copy, VaListSize, VaListSize);
            var m = LibC.VsnPrintf(big, (nuint)n + 1, format, copy);
            return Marshal.PtrToStringUTF8((nint)big, Math.Max(0, Math.Min(m, n)));
        }
        finally
        {
            NativeMemory.Free(big);
        }
    }
}

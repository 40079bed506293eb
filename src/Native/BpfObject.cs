using System.Runtime.InteropServices;
using Ingrain.Native.Errors;
using Ingrain.Native.Interop;

namespace Ingrain.Native;

/// <summary>
/// A BPF ELF object opened with libbpf: first opened (programs and maps described, read-only globals settable),
/// then <see cref="Load"/>ed into the kernel. Owns its programs, maps and every link attached through its
/// programs: <see cref="Dispose"/> detaches the links, then unloads programs and maps.
/// </summary>
public sealed unsafe class BpfObject : IDisposable
{
    private readonly BpfObjectHandle _handle;
    private readonly Dictionary<string, BpfProgram> _programs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BpfMap> _maps = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _attachments = [];

    private BpfObject(BpfObjectHandle handle, string name)
    {
        _handle = handle;
        Name = name;
        for (var p = LibBpf.ObjectNextProgram(handle.Pointer, 0); p != 0; p = LibBpf.ObjectNextProgram(handle.Pointer, p))
        {
            var program = new BpfProgram(this, p);
            _programs[program.Name] = program;
        }
        for (var m = LibBpf.ObjectNextMap(handle.Pointer, 0); m != 0; m = LibBpf.ObjectNextMap(handle.Pointer, m))
        {
            var map = new BpfMap(this, m);
            _maps[map.Name] = map;
        }
    }

    /// <summary>The object's name (given at open; libbpf uses it to prefix internal maps).</summary>
    public string Name { get; }

    public bool IsLoaded { get; private set; }

    public bool IsDisposed => _handle.IsClosed;

    public IReadOnlyCollection<BpfProgram> Programs => _programs.Values;

    public IReadOnlyCollection<BpfMap> Maps => _maps.Values;

    internal nint Pointer => _handle.IsClosed ? throw new ObjectDisposedException(Name) : _handle.Pointer;

    /// <summary>
    /// Opens an object from ELF bytes (e.g. an embedded resource). Nothing reaches the kernel yet.
    /// </summary>
    /// <exception cref="BpfObjectFormatException">The bytes are not a valid BPF object.</exception>
    public static BpfObject Open(ReadOnlySpan<byte> elf, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using var capture = new LibBpfLog.Capture();
        var nameBytes = Utf8Z(name);
        nint obj;
        int errno;
        fixed (byte* data = elf)
        fixed (byte* namePtr = nameBytes)
        {
            var opts = new LibBpf.ObjectOpenOpts { Size = (nuint)sizeof(LibBpf.ObjectOpenOpts), ObjectName = namePtr };
            // libbpf parses the ELF during open and does not keep the buffer afterwards.
            obj = LibBpf.ObjectOpenMem(data, (nuint)elf.Length, &opts);
            errno = Marshal.GetLastPInvokeError();
        }
        if (obj == 0) throw new BpfObjectFormatException(name, errno, [.. capture.Lines]);
        return new BpfObject(new BpfObjectHandle(obj), name);
    }

    /// <summary>
    /// Sets a <c>const volatile</c> global (in <c>.rodata</c>) or a plain global (<c>.data</c>/<c>.bss</c>) before
    /// <see cref="Load"/>: the verifier then sees read-only ones as constants (dead branches are removed).
    /// </summary>
    public void SetGlobal<T>(string variable, T value) where T : unmanaged
    {
        if (IsLoaded) throw new InvalidOperationException($"{Name}: set global {variable} before Load()");
        var btf = LibBpf.ObjectBtf(Pointer);
        if (btf == 0) throw new BpfException($"{Name}: object has no BTF; compile it with clang -g");
        foreach (var section in (ReadOnlySpan<string>)[".rodata", ".data", ".bss"])
        {
            if (!Btf.TryFindVariable(btf, section, variable, out var offset, out var size)) continue;
            if (size != sizeof(T))
                throw new ArgumentException($"{Name}: global {variable} is {size} bytes, {typeof(T).Name} is {sizeof(T)}", nameof(value));
            var map = Map(section);
            nuint mapSize;
            var data = LibBpf.MapInitialValue(map.Pointer, &mapSize);
            if (data == null || offset + size > (int)mapSize)
                throw new BpfException($"{Name}: cannot write global {variable} in {section}");
            *(T*)(data + offset) = value;
            return;
        }
        throw new KeyNotFoundException($"{Name}: no global variable named {variable} (is it used by a program? unused globals are dropped)");
    }

    /// <summary>Loads every program and creates every map in the kernel.</summary>
    /// <exception cref="BpfPermissionException">Not root and no CAP_BPF.</exception>
    /// <exception cref="BpfBtfMissingException">CO-RE relocation impossible: the kernel has no BTF.</exception>
    /// <exception cref="BpfKernelTooOldException">The verifier does not know a helper or map type the object uses.</exception>
    /// <exception cref="BpfVerifierException">The verifier rejected a program; the exception keeps the log.</exception>
    public void Load()
    {
        if (IsLoaded) throw new InvalidOperationException($"{Name} is already loaded");
        using var capture = new LibBpfLog.Capture();
        var rc = LibBpf.ObjectLoad(Pointer);
        if (rc == 0)
        {
            IsLoaded = true;
            return;
        }
        throw LoadError(-rc, capture.Lines);
    }

    private BpfException LoadError(int errno, List<string> log)
    {
        if (errno == 1 /* EPERM */ && !BpfPreflight.HasBpfPrivileges()) return new BpfPermissionException($"load BPF object {Name}", errno);
        // Privileged for BPF but not for networking: the kernel refuses cgroup socket programs with EPERM.
        if (errno == 1 && !BpfPreflight.CanAttachCgroupPrograms())
            return new BpfPermissionException($"load BPF object {Name}", errno, "Its cgroup socket programs need CAP_NET_ADMIN.");
        if (!File.Exists(BpfPreflight.KernelBtfPath)) return new BpfBtfMissingException(BpfPreflight.KernelBtfPath);
        var joined = string.Join('\n', log);
        if (joined.Contains("unknown func", StringComparison.Ordinal) || joined.Contains("invalid func", StringComparison.Ordinal)
            || joined.Contains("map type", StringComparison.Ordinal) && joined.Contains("not supported", StringComparison.Ordinal))
            return new BpfKernelTooOldException($"BPF object {Name}", BpfPreflight.MinimumKernel, Environment.OSVersion.Version.ToString(), [.. log]);
        return new BpfVerifierException(Name, errno, [.. log]);
    }

    public BpfProgram Program(string name) =>
        _programs.TryGetValue(name, out var p) ? p : throw new KeyNotFoundException($"{Name}: no program named {name}");

    /// <summary>A map by name; internal maps are found by their section name (<c>.rodata</c>, <c>.bss</c>).</summary>
    public BpfMap Map(string name)
    {
        if (_maps.TryGetValue(name, out var m)) return m;
        foreach (var map in _maps.Values)
        {
            if (map.Name.EndsWith(name, StringComparison.Ordinal) && name.StartsWith('.')) return map;
        }
        throw new KeyNotFoundException($"{Name}: no map named {name}");
    }

    /// <summary>Size and member offsets of a struct as the object's BTF describes it (used by ABI tests).</summary>
    public BtfStructLayout StructLayout(string structName)
    {
        var btf = LibBpf.ObjectBtf(Pointer);
        if (btf == 0) throw new BpfException($"{Name}: object has no BTF; compile it with clang -g");
        return Btf.StructLayout(btf, structName) ?? throw new KeyNotFoundException($"{Name}: no struct {structName} in BTF");
    }

    internal T Track<T>(T attachment) where T : IDisposable
    {
        lock (_attachments) _attachments.Add(attachment);
        return attachment;
    }

    internal void Untrack(IDisposable attachment)
    {
        lock (_attachments) _attachments.Remove(attachment);
    }

    /// <summary>Detaches every link made through this object's programs, then unloads programs and maps.</summary>
    public void Dispose()
    {
        if (_handle.IsClosed) return;
        IDisposable[] attachments;
        lock (_attachments)
        {
            attachments = [.. _attachments];
            _attachments.Clear();
        }
        foreach (var a in attachments) a.Dispose();
        _handle.Dispose();
    }

    internal static byte[] Utf8Z(string s)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(s) + 1];
        System.Text.Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    /// <summary>Owns the <c>struct bpf_object *</c>; closing it unloads programs and maps.</summary>
    private sealed class BpfObjectHandle : SafeHandle
    {
        public BpfObjectHandle(nint pointer) : base(0, ownsHandle: true) => SetHandle(pointer);

        public nint Pointer => handle;

        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle()
        {
            LibBpf.ObjectClose(handle);
            return true;
        }
    }
}

using System.Runtime.InteropServices;
using Ingrain.Native.Errors;
using Ingrain.Native.Interop;

namespace Ingrain.Native;

/// <summary>How <see cref="BpfMap.Update{TKey,TValue}"/> treats an existing or missing key (BPF_ANY/NOEXIST/EXIST).</summary>
public enum BpfUpdate : ulong
{
    Any = 0,
    NoExist = 1,
    Exist = 2,
}

/// <summary>
/// One map of a <see cref="BpfObject"/>. Keys and values are unmanaged structs whose size must match the map's;
/// per-CPU maps take one value per possible CPU (each padded to 8 bytes).
/// </summary>
public sealed unsafe partial class BpfMap
{
    private readonly BpfObject _owner;
    private readonly nint _map;

    internal BpfMap(BpfObject owner, nint map)
    {
        _owner = owner;
        _map = map;
        Name = LibBpf.Utf8(LibBpf.MapName(map)) ?? "";
    }

    public string Name { get; }

    public int KeySize => (int)LibBpf.MapKeySize(Pointer);

    public int ValueSize => (int)LibBpf.MapValueSize(Pointer);

    public int MaxEntries => (int)LibBpf.MapMaxEntries(Pointer);

    /// <summary>Resizes the map before <see cref="BpfObject.Load"/> (for a ring buffer: its size in bytes, a power of two of pages).</summary>
    public void SetMaxEntries(int maxEntries)
    {
        if (_owner.IsLoaded) throw new InvalidOperationException($"{_owner.Name}/{Name}: set max entries before Load()");
        var error = LibBpf.MapSetMaxEntries(Pointer, (uint)maxEntries);
        if (error != 0) throw new ArgumentOutOfRangeException(nameof(maxEntries), maxEntries, $"{_owner.Name}/{Name}: libbpf refused the size (error {error})");
    }

    /// <summary>The kernel's <c>enum bpf_map_type</c> value.</summary>
    public int Type => LibBpf.MapType(Pointer);

    public bool IsPerCpu => Type is LibBpf.MapTypePerCpuArray or LibBpf.MapTypePerCpuHash or LibBpf.MapTypeLruPerCpuHash;

    public bool IsRingBuffer => Type == LibBpf.MapTypeRingbuf;

    /// <summary>The map's fd once the object is loaded.</summary>
    public int Fd
    {
        get
        {
            var fd = LibBpf.MapFd(Pointer);
            return fd >= 0 ? fd : throw new InvalidOperationException($"{_owner.Name}/{Name} is not created: call BpfObject.Load() first");
        }
    }

    internal nint Pointer => _owner.IsDisposed ? throw new ObjectDisposedException(_owner.Name) : _map;

    /// <summary>Reads the value of <paramref name="key"/>; false when the key is absent.</summary>
    public bool TryLookup<TKey, TValue>(TKey key, out TValue value) where TKey : unmanaged where TValue : unmanaged
    {
        CheckSizes<TKey, TValue>();
        value = default;
        fixed (TValue* v = &value)
        {
            return TryLookup(new ReadOnlySpan<byte>(&key, sizeof(TKey)), new Span<byte>(v, sizeof(TValue)));
        }
    }

    /// <summary>Reads the raw value bytes of a key (for per-CPU maps: <see cref="PerCpuValueSize"/> bytes).</summary>
    public bool TryLookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        if (key.Length != KeySize) throw new ArgumentException($"{Name}: key is {KeySize} bytes, got {key.Length}", nameof(key));
        var need = IsPerCpu ? PerCpuValueSize : ValueSize;
        if (value.Length < need) throw new ArgumentException($"{Name}: value needs {need} bytes, got {value.Length}", nameof(value));
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            if (LibBpf.MapLookupElem(Fd, k, v) == 0) return true;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno == 2 ? false : throw Error("lookup", errno);
    }

    public void Update<TKey, TValue>(TKey key, TValue value, BpfUpdate flags = BpfUpdate.Any) where TKey : unmanaged where TValue : unmanaged
    {
        CheckSizes<TKey, TValue>();
        if (IsPerCpu) throw new InvalidOperationException($"{Name} is per-CPU: update it with the raw overload (one value per CPU)");
        if (LibBpf.MapUpdateElem(Fd, &key, &value, (ulong)flags) != 0) throw Error("update", Marshal.GetLastPInvokeError());
    }

    public void Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, BpfUpdate flags = BpfUpdate.Any)
    {
        if (key.Length != KeySize) throw new ArgumentException($"{Name}: key is {KeySize} bytes, got {key.Length}", nameof(key));
        var need = IsPerCpu ? PerCpuValueSize : ValueSize;
        if (value.Length != need) throw new ArgumentException($"{Name}: value needs {need} bytes, got {value.Length}", nameof(value));
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            if (LibBpf.MapUpdateElem(Fd, k, v, (ulong)flags) != 0) throw Error("update", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Deletes a key; false when it was absent.</summary>
    public bool Delete<TKey>(TKey key) where TKey : unmanaged
    {
        if (sizeof(TKey) != KeySize) throw new ArgumentException($"{Name}: key is {KeySize} bytes, {typeof(TKey).Name} is {sizeof(TKey)}");
        if (LibBpf.MapDeleteElem(Fd, &key) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        return errno == 2 ? false : throw Error("delete", errno);
    }

    /// <summary>Every key present now (a snapshot taken with BPF_MAP_GET_NEXT_KEY; entries may change meanwhile).</summary>
    public List<TKey> Keys<TKey>() where TKey : unmanaged
    {
        if (sizeof(TKey) != KeySize) throw new ArgumentException($"{Name}: key is {KeySize} bytes, {typeof(TKey).Name} is {sizeof(TKey)}");
        var keys = new List<TKey>();
        TKey current = default, next = default;
        var rc = LibBpf.MapGetNextKey(Fd, null, &next);
        while (rc == 0)
        {
            keys.Add(next);
            current = next;
            rc = LibBpf.MapGetNextKey(Fd, &current, &next);
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno == 2 ? keys : throw Error("iterate", errno);
    }

    /// <summary>Bytes of one per-CPU lookup: the value rounded up to 8, times the possible CPUs.</summary>
    public int PerCpuValueSize => (ValueSize + 7) / 8 * 8 * PossibleCpus;

    /// <summary>For a per-CPU map of 8-byte counters: the sum over CPUs of the value at <paramref name="key"/> (0 when absent).</summary>
    public ulong SumPerCpu(uint key)
    {
        if (!IsPerCpu || ValueSize != 8) throw new InvalidOperationException($"{Name} is not a per-CPU map of u64");
        Span<ulong> values = stackalloc ulong[PossibleCpus];
        if (!TryLookup(new ReadOnlySpan<byte>(&key, sizeof(uint)), MemoryMarshal.AsBytes(values))) return 0;
        ulong sum = 0;
        foreach (var v in values) sum += v;
        return sum;
    }

    public static int PossibleCpus { get; } = LibBpf.NumPossibleCpus();

    private void CheckSizes<TKey, TValue>() where TKey : unmanaged where TValue : unmanaged
    {
        if (sizeof(TKey) != KeySize) throw new ArgumentException($"{Name}: key is {KeySize} bytes, {typeof(TKey).Name} is {sizeof(TKey)}");
        if (!IsPerCpu && sizeof(TValue) != ValueSize)
            throw new ArgumentException($"{Name}: value is {ValueSize} bytes, {typeof(TValue).Name} is {sizeof(TValue)}");
        if (IsPerCpu && sizeof(TValue) != PerCpuValueSize)
            throw new ArgumentException($"{Name} is per-CPU: the value needs {PerCpuValueSize} bytes (use the span overload)");
    }

    private BpfException Error(string operation, int errno) =>
        new(BpfException.Describe($"{operation} {_owner.Name}/{Name}", errno), errno);
}

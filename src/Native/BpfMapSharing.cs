using Ingrain.Native.Errors;
using Ingrain.Native.Interop;

namespace Ingrain.Native;

/// <summary>One kernel map used by several objects.</summary>
public sealed unsafe partial class BpfMap
{
    /// <summary>
    /// Before this map's object is loaded: make this map the already created <paramref name="other"/> (same type,
    /// key, value and size), so that the programs of both objects read and write one map.
    /// </summary>
    public void ShareFrom(BpfMap other)
    {
        if (_owner.IsLoaded) throw new InvalidOperationException($"{_owner.Name}/{Name}: share the map before Load()");
        if (other.Type != Type || other.KeySize != KeySize || other.ValueSize != ValueSize || other.MaxEntries != MaxEntries)
            throw new ArgumentException($"{_owner.Name}/{Name} does not match {other.Name}: type, key, value and size must be equal", nameof(other));
        var rc = LibBpf.MapReuseFd(Pointer, other.Fd);
        if (rc != 0) throw new BpfException(BpfException.Describe($"share map {other.Name} with {_owner.Name}", -rc), -rc);
    }
}

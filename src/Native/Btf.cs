using Ingrain.Native.Interop;

namespace Ingrain.Native;

/// <summary>Size and member byte offsets of one struct, read from BTF.</summary>
public sealed record BtfStructLayout(string Name, int Size, IReadOnlyDictionary<string, int> Offsets);

/// <summary>Reads the few BTF facts the interop needs through libbpf's btf API.</summary>
internal static unsafe class Btf
{
    /// <summary>Finds a global variable's offset and size inside a data section (.rodata, .data, .bss).</summary>
    internal static bool TryFindVariable(nint btf, string section, string variable, out int offset, out int size)
    {
        offset = size = 0;
        var id = LibBpf.BtfFindByNameKind(btf, section, LibBpf.BtfKindDatasec);
        if (id <= 0) return false;
        var sec = LibBpf.BtfTypeById(btf, (uint)id);
        var vars = (LibBpf.BtfVarSecinfo*)(sec + 1);
        for (var i = 0; i < sec->Vlen; i++)
        {
            var var = LibBpf.BtfTypeById(btf, vars[i].Type);
            if (LibBpf.Utf8(LibBpf.BtfNameByOffset(btf, var->NameOff)) != variable) continue;
            offset = (int)vars[i].Offset;
            size = (int)vars[i].Size;
            return true;
        }
        return false;
    }

    internal static BtfStructLayout? StructLayout(nint btf, string name)
    {
        var id = LibBpf.BtfFindByNameKind(btf, name, LibBpf.BtfKindStruct);
        if (id <= 0) return null;
        var type = LibBpf.BtfTypeById(btf, (uint)id);
        var members = (LibBpf.BtfMember*)(type + 1);
        var offsets = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < type->Vlen; i++)
        {
            var bits = type->KindFlag ? members[i].Offset & 0xffffff : members[i].Offset;
            offsets[LibBpf.Utf8(LibBpf.BtfNameByOffset(btf, members[i].NameOff)) ?? ""] = (int)(bits / 8);
        }
        return new BtfStructLayout(name, (int)type->SizeOrType, offsets);
    }
}

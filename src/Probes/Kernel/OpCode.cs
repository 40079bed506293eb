namespace Ingrain.Probes.Kernel;

/// <summary>
/// First byte of every ring buffer record: which decoder reads it. Mirrors <c>enum ingrain_op</c> in
/// bpf/include/ingrain.h (a test compares the two).
/// </summary>
public enum OpCode : byte
{
    Exec = 1,
    Exit = 2,
    Bench = 3,
    Connection = 4,
    Packet = 5,
    FileOpen = 6,
    FilePath = 7,
}

using System.Buffers;
using Ingrain.Actors.Backends.Console;
using Ingrain.Actors.Metrics;

namespace Ingrain.Agent;

/// <summary>
/// The built-in pipeline's console output until the console backend is wired in: one JSON line per measurement,
/// written to <paramref name="output"/> as it arrives (one write per line, one reused buffer).
/// </summary>
internal sealed class JsonLineConsole(Stream output) : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    public void Write(Measurement measurement)
    {
        _buffer.ResetWrittenCount();
        MeasurementJson.WriteLine(_buffer, measurement);
        output.Write(_buffer.WrittenSpan);
        output.Flush();
    }

    public void Dispose() => output.Dispose();
}

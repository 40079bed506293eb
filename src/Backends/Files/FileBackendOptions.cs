using Ingrain.Model.Json;

namespace Ingrain.Backends.Files;

/// <summary>
/// Settings of the <c>file</c> backend: NDJSON appended to <paramref name="Path"/>; when the file would grow past
/// <paramref name="MaxBytes"/> it is rotated to <c>Path.1</c> (older ones shift to <c>.2</c>, …) and at most
/// <paramref name="MaxFiles"/> rotated files are kept.
/// </summary>
public sealed record FileBackendOptions(string Path, long MaxBytes, int MaxFiles, JsonLineEncoding Encoding);

using Ingrain.Topology.Logging;
using System.Text;

namespace Ingrain.Backends.Http;

/// <summary>How a batch is laid out in a request body.</summary>
public enum HttpBodyEncoding
{
    /// <summary>One JSON array of measurement objects (<c>application/json</c>).</summary>
    Json,

    /// <summary>One measurement object per line (<c>application/x-ndjson</c>).</summary>
    Ndjson,
}

/// <summary>
/// Options of the HTTP backend (HOCON <c>backend { type = http … }</c>); defaults as in docs/configuration.md.
/// <see cref="ToString"/> never prints header values (they usually carry credentials).
/// </summary>
public sealed record HttpBackendOptions
{

    /// <summary>Where batches are POSTed (<c>uri</c>, required, http or https).</summary>
    public Uri? Uri { get; init; }

    /// <summary>Extra request headers (<c>headers { … }</c>), e.g. an authorization token from <c>${?INGEST_TOKEN}</c>.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>Body layout (<c>encoding = json | ndjson</c>).</summary>
    public required HttpBodyEncoding Encoding { get; init; }

    /// <summary>Compress bodies with gzip and send <c>Content-Encoding: gzip</c> (<c>gzip</c>).</summary>
    public required bool Gzip { get; init; }

    /// <summary>Measurements per request at most (<c>batch-size</c>).</summary>
    public required int BatchSize { get; init; }

    /// <summary>Uncompressed body bytes per request at most, give or take one measurement (<c>batch-bytes</c>).</summary>
    public required int BatchBytes { get; init; }

    /// <summary>Time limit of one request attempt (<c>timeout</c>).</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>Retries of one batch in one send round before it waits for the next round (<c>max-retries</c>).</summary>
    public required int MaxRetries { get; init; }

    /// <summary>First retry delay; doubles per retry, with jitter (<c>retry-delay</c>).</summary>
    public required TimeSpan RetryDelay { get; init; }

    /// <summary>Longest wait between two attempts, also the cap on a server's <c>Retry-After</c> (<c>retry-max-delay</c>).</summary>
    public required TimeSpan RetryMaxDelay { get; init; }

    /// <summary>Encoded batches kept in memory while the server is unreachable; the oldest go first, counted (<c>max-pending-bytes</c>).</summary>
    public required long MaxPendingBytes { get; init; }

    /// <summary>Every problem with these options, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Uri is null) errors.Add("uri: required");
        else if (!Uri.IsAbsoluteUri || (Uri.Scheme != "http" && Uri.Scheme != "https"))
            errors.Add($"uri: '{Redaction.Uri(Uri)}' must be an absolute http:// or https:// address");
        foreach (var (name, value) in Headers)
        {
            if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".Contains(c)))
                errors.Add($"headers: '{name}' is not a valid header name");
            if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
                errors.Add($"headers: the value of '{name}' contains a line break");
        }
        if (BatchSize < 1) errors.Add($"batch-size: {BatchSize} must be at least 1");
        if (BatchBytes < 1024) errors.Add($"batch-bytes: {BatchBytes} must be at least 1024");
        if (Timeout <= TimeSpan.Zero) errors.Add("timeout: must be positive");
        if (MaxRetries < 0) errors.Add($"max-retries: {MaxRetries} must not be negative");
        if (RetryDelay <= TimeSpan.Zero) errors.Add("retry-delay: must be positive");
        if (RetryMaxDelay < RetryDelay) errors.Add("retry-max-delay: must not be shorter than retry-delay");
        if (MaxPendingBytes < BatchBytes) errors.Add("max-pending-bytes: must hold at least one batch (>= batch-bytes)");
        return errors;
    }

    /// <summary>Value equality, headers included (a reload compares old and new options by value).</summary>
    public bool Equals(HttpBackendOptions? other) =>
        other is not null && Uri == other.Uri && Encoding == other.Encoding && Gzip == other.Gzip && BatchSize == other.BatchSize
        && BatchBytes == other.BatchBytes && Timeout == other.Timeout
        && MaxRetries == other.MaxRetries && RetryDelay == other.RetryDelay && RetryMaxDelay == other.RetryMaxDelay
        && MaxPendingBytes == other.MaxPendingBytes && Headers.Count == other.Headers.Count
        && Headers.All(h => other.Headers.TryGetValue(h.Key, out var v) && v == h.Value);

    public override int GetHashCode() => HashCode.Combine(Uri, Encoding, Gzip, BatchSize, BatchBytes, Headers.Count);

    // Header values stay out of logs and exception messages: only their names are printed.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Uri = {Uri}, Headers = [{string.Join(", ", Headers.Keys)}], Encoding = {Encoding}, Gzip = {Gzip}, ");
        builder.Append($"BatchSize = {BatchSize}, BatchBytes = {BatchBytes}, Timeout = {Timeout}, ");
        builder.Append($"MaxRetries = {MaxRetries}, RetryDelay = {RetryDelay}, RetryMaxDelay = {RetryMaxDelay}, MaxPendingBytes = {MaxPendingBytes}");
        return true;
    }
}

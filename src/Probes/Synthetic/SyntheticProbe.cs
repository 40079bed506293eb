
namespace Ingrain.Probes.Synthetic;

/// <summary>Settings of the <c>synthetic</c> probe (ingraind's <c>Test</c> grain): a load generator for trying pipelines.</summary>
public sealed record SyntheticProbeOptions(string Name, double Rate, int BatchSize, Tags Tags, long Count);

/// <summary>
/// <c>synthetic</c>: emits counters named <see cref="SyntheticProbeOptions.Name"/> with value 1 and the configured tags,
/// <c>rate</c> per second in batches, until cancelled or until <c>count</c> were emitted (-1: never stops).
/// </summary>
public sealed class SyntheticProbe(SyntheticProbeOptions options, TimeProvider time) : IProbe
{
    public async Task RunAsync(IProbeSink sink, CancellationToken cancellationToken)
    {
        var sent = 0L;
        var batchInterval = TimeSpan.FromSeconds(options.BatchSize / options.Rate);
        while (!cancellationToken.IsCancellationRequested && (options.Count < 0 || sent < options.Count))
        {
            var n = options.Count < 0 ? options.BatchSize : (int)Math.Min(options.BatchSize, options.Count - sent);
            var batch = new Measurement[n];
            var now = Measurement.NowNanos(time);
            for (var i = 0; i < n; i++) batch[i] = new Measurement(now, MeasurementKind.Counter, options.Name, MeasurementValue.Count(1), options.Tags);
            sink.Emit(batch);
            sent += n;
            try
            {
                await Task.Delay(batchInterval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

using Ingrain.Topology.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ingrain.Probes.Command;

/// <summary>The outcome of one run: its status, the measurements (empty unless it succeeded) and a detail for logs.</summary>
public sealed record CommandRunResult(CommandRunStatus Status, IReadOnlyList<Measurement> Measurements, int SkippedRows, string Detail);

/// <summary>
/// The command probe's core: runs the configured argv (no shell) every <see cref="CommandProbeOptions.Interval"/>
/// and turns the JSON rows it prints into measurements <c>&lt;probe&gt;.&lt;name&gt;</c>. A command that cannot
/// start, times out, exits non-zero or prints something else than rows is logged and counted; the next run
/// happens as planned. Runs never overlap.
/// </summary>
public sealed class CommandProbe
{
    private readonly CommandProbeOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public CommandProbe(CommandProbeOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("invalid command probe options: " + string.Join("; ", errors), nameof(options));
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    public CommandProbeCounters Counters { get; } = new();

    /// <summary>Runs the command once and converts its output. Never throws, except on cancellation.</summary>
    public async Task<CommandRunResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var output = await CommandRunner.RunAsync(_options.Command, _options.Timeout, _options.MaxOutputBytes, cancellationToken)
            .ConfigureAwait(false);
        var result = output.Status == CommandRunStatus.Succeeded ? Convert(output) : new CommandRunResult(output.Status, [], 0, output.Detail);
        Counters.Add(result.Status, result.Measurements.Count, result.SkippedRows);
        if (result.Status != CommandRunStatus.Succeeded)
            _logger.LogWarning("command probe {Name}: {Program} {Status}: {Detail}", _options.MeasurementName, _options.Command[0],
                result.Status, LogText.Escape(result.Detail, 2048)); // the command's stderr: escaped
        else if (result.SkippedRows > 0)
            _logger.LogWarning("command probe {Name}: skipped {Skipped} rows without a usable '{Column}' value", _options.MeasurementName,
                result.SkippedRows, _options.ValueColumn);
        return result;
    }

    /// <summary>Runs on the interval until cancelled, giving each successful run's measurements to <paramref name="sink"/>.</summary>
    public async Task RunAsync(Action<IReadOnlyList<Measurement>> sink, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            if (_options.RunAtStart) await RunAndEmitAsync(sink, cancellationToken).ConfigureAwait(false);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                await RunAndEmitAsync(sink, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopped
        }
    }

    private async Task RunAndEmitAsync(Action<IReadOnlyList<Measurement>> sink, CancellationToken ct)
    {
        var result = await RunOnceAsync(ct).ConfigureAwait(false);
        if (result.Measurements.Count == 0) return;
        try
        {
            sink(result.Measurements);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "command probe {Name}: the sink failed on {Count} measurements", _options.MeasurementName,
                result.Measurements.Count);
        }
    }

    private CommandRunResult Convert(CommandOutput output)
    {
        var rows = CommandRowsParser.Parse(output.Stdout, _options, Measurement.NowNanos(_time));
        return rows.Error is null
            ? new CommandRunResult(CommandRunStatus.Succeeded, rows.Measurements, rows.SkippedRows, output.Detail)
            : new CommandRunResult(CommandRunStatus.BadOutput, [], 0, rows.Error);
    }
}

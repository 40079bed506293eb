using Ingrain.Topology.Logging;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Ingrain.Steps.Exec;

/// <summary>
/// <c>exec</c>: runs a command for measurements that match <c>only-if</c>, and always forwards the measurement
/// unchanged. Fixes over ingraind: a condition on an absent tag does not hold (ingraind treated it as true, so
/// <c>kill -9 {process_id}</c> could fire for unrelated events); a placeholder naming an absent tag skips the run
/// instead of passing <c>{tag}</c> literally; runs are rate limited, time limited and happen off the pipeline
/// (a bounded queue drained by background runners), and a failed spawn is logged and counted, never fatal.
/// The child's stdout/stderr are captured so they never mix with the agent's NDJSON on stdout.
/// </summary>
public sealed class ExecStep : IPipelineStep, IAsyncDisposable
{
    private readonly ExecOptions _options;
    private readonly ArgvTemplate _argv;
    private readonly TokenBucket _bucket;
    private readonly ILogger _logger;
    private readonly Channel<string[]> _queue;
    private readonly Task[] _runners;

    public ExecStep(ExecOptions options, StepContext context)
    {
        _options = options;
        _argv = new ArgvTemplate(options.Command);
        _bucket = new TokenBucket(options.MaxPerSecond, context.Time);
        _logger = context.Logger;
        _queue = Channel.CreateBounded<string[]>(new BoundedChannelOptions(options.QueueSize)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails instead of waiting; counted as rate limited
            SingleWriter = true,
        });
        _runners = Enumerable.Range(0, options.MaxConcurrent).Select(_ => Task.Run(RunQueueAsync)).ToArray();
        context.Counters.AttachDetails(Counters);
    }

    /// <summary>What happened to the runs; also attached to the step's <see cref="ComponentCounters.Details"/>.</summary>
    public ExecCounters Counters { get; } = new();

    public TimeSpan? FlushInterval => null;

    public void Process(Measurement measurement, IStepOutput output)
    {
        if (ConditionsHold(measurement.Tags)) Enqueue(measurement);
        output.Emit(measurement);
    }

    public void Flush(IStepOutput output) { }

    /// <summary>Stops accepting runs, lets queued and running commands finish (each within its timeout).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_runners).ConfigureAwait(false);
        _logger.LogInformation("exec: {Program} stopped; {Counters}", _options.Command[0], Counters);
    }

    private bool ConditionsHold(Tags tags)
    {
        foreach (var condition in _options.OnlyIf)
        {
            var value = tags.Get(condition.Key);
            if (value is null || !condition.Pattern.IsMatch(value)) return false;
        }
        return true;
    }

    private void Enqueue(Measurement measurement)
    {
        var argv = _argv.Render(measurement.Tags, out var missing);
        if (argv is null)
        {
            Counters.AddMissingTag();
            _logger.LogDebug("exec: not running {Program}: measurement {Name} has no tag {Tag}", _options.Command[0], measurement.Name, missing);
            return;
        }
        if (!_bucket.TryTake() || !_queue.Writer.TryWrite(argv))
        {
            Counters.AddRateLimited();
            _logger.LogDebug("exec: rate limit reached, not running {Program}", argv[0]);
        }
    }

    private async Task RunQueueAsync()
    {
        await foreach (var argv in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await RunOneAsync(argv).ConfigureAwait(false);
        }
    }

    private async Task RunOneAsync(string[] argv)
    {
        var start = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in argv.AsSpan(1)) start.ArgumentList.Add(arg);

        System.Diagnostics.Process process;
        try
        {
            process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null");
        }
        catch (Exception e)
        {
            Counters.AddSpawnFailed();
            _logger.LogWarning("exec: could not start {Program}: {Reason}", argv[0], e.Message);
            return;
        }

        using (process)
        {
            Counters.AddStarted();
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(_options.Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                Counters.AddExited();
                if (process.ExitCode != 0)
                {
                    _logger.LogInformation("exec: {Program} exited with {Code}: {Stderr}", argv[0], process.ExitCode,
                        LogText.Escape(Truncate(await stderr.ConfigureAwait(false)), int.MaxValue)); // stderr: escaped
                }
            }
            catch (OperationCanceledException)
            {
                Counters.AddTimedOut();
                _logger.LogWarning("exec: {Program} still running after {Timeout}; killing it", argv[0], _options.Timeout);
                try { process.Kill(entireProcessTree: true); }
                catch (InvalidOperationException) { /* exited between the timeout and the kill */ }
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        }
    }

    private static string Truncate(string s) => s.Length <= 200 ? s.Trim() : s[..200] + "…";
}

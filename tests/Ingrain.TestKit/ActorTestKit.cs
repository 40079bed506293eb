using Ingrain.Actors;
using Microsoft.Extensions.Logging;
using Xunit;
using Xunit.Abstractions;

namespace Ingrain.TestKit;

/// <summary>
/// xunit base class: each test (xunit makes one instance per test) gets its own <see cref="ActorSystem"/>, which
/// is terminated after the test. <see cref="TestKitBase.TestActor"/> is the natural sender of your Tells, and the
/// Expect methods inspect what it received.
/// <code>
/// public sealed class EchoSpec(ITestOutputHelper output) : ActorTestKit(output)
/// {
///     [Fact] public async Task Echo_replies() { var echo = ActorOf(...); echo.Tell("hi", TestActor); await ExpectMsgAsync("hi"); }
/// }
/// </code>
/// </summary>
public abstract class ActorTestKit : TestKitBase, IAsyncLifetime
{
    private static long s_systems;
    private readonly ManualTimeProvider? _virtualTime;
    private readonly ILoggerFactory? _ownedLoggerFactory;

    /// <param name="output">xunit's output; the system's log (Information and above) goes there.</param>
    /// <param name="virtualTime">run the system's scheduler, timers and timeouts on a <see cref="ManualTimeProvider"/>.</param>
    /// <param name="settings">further system settings; its LoggerFactory and TimeProvider are replaced as above.</param>
    protected ActorTestKit(ITestOutputHelper? output = null, bool virtualTime = false, ActorSystemSettings? settings = null)
        : this(CreateSystem(output, virtualTime ? new ManualTimeProvider() : null, settings ?? new ActorSystemSettings()))
    {
    }

    private ActorTestKit((ActorSystem System, ManualTimeProvider? Time, ILoggerFactory? OwnedLoggerFactory) created)
        : base(created.System)
    {
        _virtualTime = created.Time;
        _ownedLoggerFactory = created.OwnedLoggerFactory;
        EventFilter = new EventFilterFactory(created.System);
    }

    /// <summary>The virtual clock; only when the kit was constructed with <c>virtualTime: true</c>.</summary>
    public ManualTimeProvider VirtualTime => _virtualTime
        ?? throw new InvalidOperationException("This TestKit runs on real time: construct it with virtualTime: true.");

    public EventFilterFactory EventFilter { get; }

    public TestProbe CreateTestProbe(string? name = null) => new(Sys, name);

    public IActorRef ActorOf(Props props, string? name = null) => Sys.ActorOf(props, name);

    /// <summary>Terminates the system (also done after every test) and waits until every actor has stopped.</summary>
    public async Task ShutdownAsync(TimeSpan? max = null)
    {
        var wait = Dilated(max ?? TimeSpan.FromSeconds(10));
        var terminated = Sys.Terminate();
        var inTime = await Task.WhenAny(terminated, Task.Delay(wait)).ConfigureAwait(false) == terminated;
        _ownedLoggerFactory?.Dispose();
        if (!inTime) throw Fail($"ActorSystem {Sys.Name} did not terminate within {wait.TotalSeconds:0.#} s");
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => ShutdownAsync();

    private static (ActorSystem, ManualTimeProvider?, ILoggerFactory?) CreateSystem(ITestOutputHelper? output,
        ManualTimeProvider? time, ActorSystemSettings settings)
    {
        ILoggerFactory? owned = null;
        if (output is not null)
        {
            owned = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information)
                .AddProvider(new TestOutputLoggerProvider(output, LogLevel.Information)));
            settings = settings with { LoggerFactory = owned };
        }
        if (time is not null) settings = settings with { TimeProvider = time };
        return (ActorSystem.Create($"test-{Interlocked.Increment(ref s_systems)}", settings), time, owned);
    }
}

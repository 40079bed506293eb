using Ingrain.Actors.Dispatch;
using Ingrain.Actors.Scheduling;
using Microsoft.Extensions.Logging;

namespace Ingrain.Actors;

/// <summary>
/// A tree of actors: the root guardian "/" with "/user" (your actors, <see cref="ActorOf"/>) and "/system".
/// Holds the dead-letters sink, the event stream, the scheduler and the coordinated shutdown.
/// <see cref="Terminate"/> stops everything, children before parents.
/// </summary>
public sealed class ActorSystem : IAsyncDisposable
{
    private readonly ActorCell _root;
    private readonly ActorCell _userGuardian;
    private readonly ActorCell _systemGuardian;
    private readonly Scheduler _scheduler;
    private readonly long _startTimestamp;
    private readonly Lazy<CoordinatedShutdown> _coordinatedShutdown;
    private long _uids;

    private ActorSystem(string name, ActorSystemSettings settings)
    {
        Name = name;
        Settings = settings;
        TimeProvider = settings.TimeProvider;
        _startTimestamp = TimeProvider.GetTimestamp();
        LoggerFactory = settings.LoggerFactory;
        EventStream = new EventStream();
        Log = new SystemLog(LoggerFactory.CreateLogger("Ingrain.Actors.ActorSystem"), EventStream);
        _scheduler = new Scheduler(TimeProvider);
        var rootPath = ActorPath.Root(name);
        DeadLettersRef = new DeadLetterActorRef(this, rootPath.Child("deadLetters", 0));
        _coordinatedShutdown = new Lazy<CoordinatedShutdown>(() => new CoordinatedShutdown(this, settings.ShutdownPhases));

        _root = new ActorCell(this, Props.Create(static () => new RootGuardian()), null, rootPath);
        _userGuardian = _root.AttachChild(Props.Create(static () => new Guardian())
            .WithSupervisorStrategy(settings.GuardianStrategy), "user");
        _systemGuardian = _root.AttachChild(Props.Create(static () => new Guardian()), "system");
        _root.Start();
        _root.WhenTerminated.ContinueWith(_ => _scheduler.Shutdown(), TaskScheduler.Default);
    }

    /// <summary>Creates a system. The name appears in every actor path: ingrain://{name}/user/...</summary>
    public static ActorSystem Create(string name, ActorSystemSettings? settings = null)
    {
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException($"Invalid actor system name [{name}]: use ASCII letters, digits, '-' and '_'.", nameof(name));
        settings ??= new ActorSystemSettings();
        if (settings.Throughput <= 0)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Throughput, "Throughput must be > 0.");
        return new ActorSystem(name, settings);
    }

    public string Name { get; }

    public ActorSystemSettings Settings { get; }

    public TimeProvider TimeProvider { get; }

    public ILoggerFactory LoggerFactory { get; }

    public EventStream EventStream { get; }

    public IScheduler Scheduler => _scheduler;

    public IActorRef DeadLetters => DeadLettersRef;

    /// <summary>Ordered shutdown phases; <see cref="CoordinatedShutdown.RunAsync"/> ends by terminating the system.</summary>
    public CoordinatedShutdown CoordinatedShutdown => _coordinatedShutdown.Value;

    /// <summary>Completes once every actor has stopped.</summary>
    public Task WhenTerminated => _root.WhenTerminated;

    internal DeadLetterActorRef DeadLettersRef { get; }

    internal SystemLog Log { get; }

    /// <summary>Monotonic time since the system started, from <see cref="TimeProvider"/>.</summary>
    internal TimeSpan Uptime => TimeProvider.GetElapsedTime(_startTimestamp);

    internal long NextUid() => Interlocked.Increment(ref _uids);

    /// <summary>Creates a top-level actor under /user.</summary>
    /// <exception cref="InvalidActorNameException">the name is invalid or already taken by a top-level actor.</exception>
    public IActorRef ActorOf(Props props, string? name = null) => _userGuardian.ActorOf(props, name);

    /// <summary>Creates an actor under /system (runtime and infrastructure actors, e.g. the TestKit's).</summary>
    public IActorRef SystemActorOf(Props props, string? name = null) => _systemGuardian.ActorOf(props, name);

    /// <summary>Stops an actor asynchronously (children first, then PostStop).</summary>
    public void Stop(IActorRef actor) => actor.AsInternal().SendSystemMessage(Dispatch.Terminate.Instance);

    /// <summary>Stops every actor (user actors first, then system ones) and completes when all have stopped. Does not
    /// run the shutdown phases: call <see cref="CoordinatedShutdown.RunAsync"/> for that.</summary>
    public Task Terminate()
    {
        _userGuardian.SelfRef.SendSystemMessage(Dispatch.Terminate.Instance); // the root stops itself once /user is gone
        return WhenTerminated;
    }

    public async ValueTask DisposeAsync() => await Terminate().ConfigureAwait(false);

    public override string ToString() => $"ActorSystem({Name})";
}

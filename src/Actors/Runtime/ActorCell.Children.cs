using Ingrain.Actors.Dispatch;
using Ingrain.Actors.Supervision;

namespace Ingrain.Actors;

internal sealed partial class ActorCell
{
    private readonly Lock _childrenLock = new();
    private readonly Dictionary<string, ChildRestartStats> _children = new(StringComparer.Ordinal);
    private bool _childrenClosed;
    private long _generatedNames;

    public IActorRef ActorOf(Props props, string? name = null) => AttachChild(props, name).SelfRef;

    internal ActorCell AttachChild(Props props, string? name)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (name is not null) ValidateName(name);
        ActorCell child;
        bool stopAtOnce;
        lock (_childrenLock)
        {
            if (_childrenClosed)
                throw new IllegalActorStateException($"{Path} has stopped; it cannot create children.");
            name ??= NextGeneratedName();
            if (_children.ContainsKey(name))
                throw new InvalidActorNameException($"Actor name [{name}] is not unique among the children of {Path}.");
            child = new ActorCell(System, props, SelfRef, Path.Child(name, System.NextUid()));
            // A child created while we stop is stopped at once, so that it cannot outlive us.
            stopAtOnce = _terminating;
            _children.Add(name, new ChildRestartStats(child.SelfRef) { Terminating = stopAtOnce });
        }
        child.Start();
        if (stopAtOnce) child.SelfRef.SendSystemMessage(Terminate.Instance);
        return child;
    }

    private static void ValidateName(string name)
    {
        if (name.Length == 0) throw new InvalidActorNameException("Actor name must not be empty.");
        if (name[0] == '$') throw new InvalidActorNameException($"Actor name [{name}] must not start with '$' (reserved for generated names).");
        foreach (var c in name)
            if (c == '/' || char.IsWhiteSpace(c) || char.IsControl(c))
                throw new InvalidActorNameException($"Actor name [{name}] contains an invalid character '{c}'.");
    }

    // "$a", "$b", ... "$z", "$ba", ... like Akka's generated names.
    private string NextGeneratedName()
    {
        var n = _generatedNames++;
        Span<char> buffer = stackalloc char[16];
        var i = buffer.Length;
        do
        {
            buffer[--i] = (char)('a' + (int)(n % 26));
            n /= 26;
        } while (n > 0);
        buffer[--i] = '$';
        return new string(buffer[i..]);
    }

    public IReadOnlyList<IActorRef> GetChildren()
    {
        lock (_childrenLock) return _children.Values.Select(c => c.Child).ToArray();
    }

    public IActorRef? Child(string name)
    {
        lock (_childrenLock) return _children.TryGetValue(name, out var stats) ? stats.Child : null;
    }

    private ChildRestartStats[] ChildrenSnapshot()
    {
        lock (_childrenLock) return [.. _children.Values];
    }

    private ChildRestartStats? FindChild(IActorRef child)
    {
        lock (_childrenLock)
            return _children.TryGetValue(child.Path.Name, out var stats) && ReferenceEquals(stats.Child, child) ? stats : null;
    }

    private void MarkChildTerminating(IActorRef child)
    {
        if (FindChild(child) is { } stats) stats.Terminating = true;
    }

    private bool AnyChildTerminating()
    {
        lock (_childrenLock) return _children.Values.Any(c => c.Terminating);
    }

    /// <summary>A child has fully stopped: free its name, then finish whatever was waiting for it.</summary>
    private void HandleChildTerminated(IActorRef child)
    {
        lock (_childrenLock)
        {
            if (!_children.TryGetValue(child.Path.Name, out var stats) || !ReferenceEquals(stats.Child, child)) return;
            _children.Remove(child.Path.Name);
        }
        if (_terminating)
        {
            TryFinishTerminate();
            return;
        }
        if (_recreateCause is { } cause && !AnyChildTerminating())
        {
            _recreateCause = null;
            FinishRecreate(cause);
            return;
        }
        _actor?.ChildTerminated(child);
    }
}

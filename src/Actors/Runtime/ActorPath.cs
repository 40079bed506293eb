namespace Ingrain.Actors;

/// <summary>
/// Where an actor sits in its system's tree, e.g. <c>ingrain://agent/user/probes/exec</c>. Names are unique
/// among siblings; <see cref="Uid"/> tells apart successive actors created under the same name.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    private string? _text;

    private ActorPath(string systemName, ActorPath? parent, string name, long uid)
    {
        SystemName = systemName;
        Parent = parent;
        Name = name;
        Uid = uid;
    }

    public string SystemName { get; }

    public ActorPath? Parent { get; }

    /// <summary>The last element; empty for the root.</summary>
    public string Name { get; }

    public long Uid { get; }

    internal static ActorPath Root(string systemName) => new(systemName, null, "", 0);

    internal ActorPath Child(string name, long uid) => new(SystemName, this, name, uid);

    /// <summary>The names from the root down, excluding the root itself.</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var elements = new List<string>();
            for (var p = this; p.Parent is not null; p = p.Parent) elements.Add(p.Name);
            elements.Reverse();
            return elements;
        }
    }

    public override string ToString() => _text ??= $"ingrain://{SystemName}/{string.Join('/', Elements)}";

    public bool Equals(ActorPath? other) =>
        other is not null && Uid == other.Uid && ToString() == other.ToString();

    public override bool Equals(object? obj) => Equals(obj as ActorPath);

    public override int GetHashCode() => HashCode.Combine(ToString(), Uid);
}

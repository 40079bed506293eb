namespace Ingrain.Actors.Supervision;

/// <summary>Maps a child's exception to a <see cref="Directive"/>.</summary>
public interface IDecider
{
    Directive Decide(Exception cause);
}

public static class Decider
{
    public static IDecider From(Func<Exception, Directive> decide) => new FuncDecider(decide);

    /// <summary>
    /// The first mapping whose exception type matches (<c>IsInstanceOfType</c>, in declaration order — not the most
    /// specific type) wins; otherwise <paramref name="defaultDirective"/>. List more specific types first.
    /// </summary>
    public static IDecider From(Directive defaultDirective, params KeyValuePair<Type, Directive>[] mappings) =>
        new MappingDecider(defaultDirective, mappings);

    /// <summary><c>Directive.Stop.When&lt;TimeoutException&gt;()</c>, for <see cref="From(Directive, KeyValuePair{Type, Directive}[])"/>.</summary>
    public static KeyValuePair<Type, Directive> When<TException>(this Directive directive) where TException : Exception =>
        new(typeof(TException), directive);

    private sealed class FuncDecider(Func<Exception, Directive> decide) : IDecider
    {
        private readonly Func<Exception, Directive> _decide = decide ?? throw new ArgumentNullException(nameof(decide));

        public Directive Decide(Exception cause) => _decide(cause);
    }

    private sealed class MappingDecider(Directive defaultDirective, KeyValuePair<Type, Directive>[] mappings) : IDecider
    {
        public Directive Decide(Exception cause)
        {
            foreach (var (type, directive) in mappings)
                if (type.IsInstanceOfType(cause)) return directive;
            return defaultDirective;
        }
    }
}

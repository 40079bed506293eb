namespace Ingrain.Actors.Pipeline;

/// <summary>
/// What a backend actor learns from its running topology about its own lifetime.
/// <para><see cref="Deadline"/> is cancelled when the pipeline must be done: the shutdown's or a reload's drain
/// deadline, or when the pipeline is stopped. Every writer call gets it, so a writer stops sending in time and keeps
/// what it could not send (S3 spools it, HTTP keeps it queued) instead of holding up the drain.</para>
/// <para><see cref="Predecessors"/> completes when the pipeline instances a reload retires — those whose backend
/// has the same type — have closed their writers: only then does this backend open its own, so a new writer never
/// races the old one for the same destination (an S3 spool's lock, a file). Batches wait in the mailbox meanwhile.</para>
/// </summary>
internal sealed record BackendLifetime(CancellationToken Deadline, Task Predecessors);

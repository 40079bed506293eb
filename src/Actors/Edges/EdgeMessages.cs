using Akka.Actor;

namespace Ingrain.Actors.Edges;

/// <summary>
/// A batch on an edge, numbered per sender. The receiver answers <see cref="Ack"/> with the same number once it has
/// handed the batch on (or written it): until then the batch counts against the sender's window for that edge.
/// </summary>
public sealed record Deliver(MeasurementBatch Batch, long Seq);

/// <summary>The receiver of <see cref="Deliver"/> is done with batch <paramref name="Seq"/>: the sender may send another.</summary>
public sealed record Ack(long Seq);

/// <summary>
/// Travels in-band behind the last batch: each step flushes what it holds back into the next and passes the drain on;
/// the backend flushes its writer and answers <see cref="Drained"/> to <paramref name="ReplyTo"/>. Per-sender FIFO
/// order makes everything sent before it written before the answer.
/// </summary>
public sealed record Drain(IActorRef ReplyTo, string Pipeline);

/// <summary>The answer to <see cref="Drain"/>: everything the pipeline had was written (or spooled).</summary>
public sealed record Drained(string Pipeline);

/// <summary>One outgoing edge: where to send, its window and overflow policy, and the counters of the edge.</summary>
public sealed record Edge(IActorRef Target, MailboxSpec Policy, EdgeCounters Counters);

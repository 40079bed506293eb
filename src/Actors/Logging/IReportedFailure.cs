namespace Ingrain.Actors.Logging;

/// <summary>
/// A failure whose actor already logged it once, with the reason and what happens next ("could not attach: …;
/// retrying with backoff"). Akka's supervisor would log it again with a stack trace on every retry; the
/// <see cref="ActorLogBridge"/> keeps that copy at debug level.
/// </summary>
public interface IReportedFailure;

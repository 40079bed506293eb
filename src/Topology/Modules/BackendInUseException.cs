namespace Ingrain.Topology.Modules;

/// <summary>
/// A backend writer could not open because another instance holds its destination (an S3 spool's lock). The backend
/// actor keeps retrying the open with backoff rather than giving up on its data: during a reload the holder is the
/// instance being retired, which releases it once drained. If it never does, another agent or backend uses the same
/// destination: give each its own (for S3, its own <c>spool-dir</c>).
/// </summary>
public abstract class BackendInUseException(string message, Exception inner) : IOException(message, inner);

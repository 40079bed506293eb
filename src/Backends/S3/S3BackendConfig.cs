
namespace Ingrain.Backends.S3;

/// <summary>
/// A compiled <c>s3</c> backend: its options, and whether <c>host</c> was left to the machine's FQDN. The FQDN is
/// looked up when the writer is created, not while a configuration is checked (check-config has no side effects).
/// </summary>
public sealed record S3BackendConfig(S3BackendOptions Options, bool HostFromSystem)
{
    public S3BackendOptions Resolve() => HostFromSystem ? Options with { Host = SystemDetails.Read().Host } : Options;
}

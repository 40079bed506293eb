namespace Ingrain.Actors.Tests;

/// <summary>Step and backend options as the agent parses them: reference.hocon's defaults plus the required keys; tests vary them with <c>with</c>.</summary>
internal static class ComponentSettings
{
    public static BufferOptions Buffer => TopologyLoader.ParseSettings<BufferOptions>(new BufferModule());

    public static ContainerOptions Container => TopologyLoader.ParseSettings<ContainerOptions>(new ContainerModule());

    public static HttpBackendOptions Http => TopologyLoader.ParseSettings<HttpBackendOptions>(new HttpBackendModule(), "uri = \"http://127.0.0.1:1/\"");

    public static S3BackendOptions S3 => TopologyLoader.ParseSettings<S3BackendConfig>(new S3BackendModule(), "bucket = test, host = test-host").Options;

    public static StatsDBackendOptions StatsD => TopologyLoader.ParseSettings<StatsDBackendOptions>(new StatsDBackendModule());
}

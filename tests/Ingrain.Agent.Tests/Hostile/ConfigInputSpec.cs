using Xunit;

namespace Ingrain.Agent.Tests.Hostile;

/// <summary>
/// Issue 10 items 9 and 11: configuration input that used to hang, eat memory or pass check-config only to fail (or do
/// nothing) at run time. Each case runs the real executable.
/// </summary>
public sealed class ConfigInputSpec : IDisposable
{
    private const string Valid = "ingrain { probes.s { type = synthetic, pipelines = [p] }, pipelines.p.backend.type = console }";
    private readonly HostileDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Code, string Stderr)> CheckConfig(string path)
    {
        using var agent = AgentProcess.Start("check-config", path);
        var code = await agent.ExitCodeAsync(TimeSpan.FromSeconds(30));
        return (code, agent.Stderr);
    }

    [Fact]
    public async Task A_fifo_is_refused_at_once_instead_of_blocking_for_ever()
    {
        var path = Path.Combine(_dir.Path, "pipeline.hocon");
        HostileDirectory.Run("mkfifo", path);
        var (code, stderr) = await CheckConfig(path);
        Assert.Equal(2, code);
        Assert.Contains($"error: {path}: (file): could not read config file: {path} is a FIFO, not a regular file", stderr);
    }

    [Fact]
    public async Task Run_refuses_a_fifo_too()
    {
        var path = Path.Combine(_dir.Path, "pipeline.hocon");
        HostileDirectory.Run("mkfifo", path);
        using var agent = AgentProcess.Start("run", "--config", path);
        Assert.Equal(2, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("is a FIFO, not a regular file", agent.Stderr);
    }

    [Fact]
    public async Task An_include_of_dev_zero_is_refused()
    {
        var path = _dir.Write("pipeline.hocon", "include \"/dev/zero\"\n" + Valid);
        var (code, stderr) = await CheckConfig(path);
        Assert.Equal(2, code);
        Assert.Contains($"error: {path}:1:1: (file): could not read included /dev/zero: /dev/zero is a character device, not a regular file", stderr);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_without_being_parsed()
    {
        var path = _dir.Write("pipeline.hocon", Valid + "\n" + new string('#', 5 * 1024 * 1024));
        var (code, stderr) = await CheckConfig(path);
        Assert.Equal(2, code);
        Assert.Contains($"{path} is {new FileInfo(path).Length} bytes, more than the 4194304 bytes (4 MiB) a configuration file may have", stderr);
    }

    [Fact]
    public async Task A_directory_is_named_as_such_not_as_missing()
    {
        var path = Path.Combine(_dir.Path, "pipeline.hocon");
        Directory.CreateDirectory(path);
        var (code, stderr) = await CheckConfig(path);
        Assert.Equal(2, code);
        Assert.Contains($"error: {path}: (file): could not read config file: {path} is a directory, not a regular file", stderr);
    }

    [Fact]
    public async Task An_empty_file_is_an_error_that_names_the_users_file()
    {
        var path = _dir.Write("pipeline.hocon", "# nothing yet\n");
        var (code, stderr) = await CheckConfig(path);
        Assert.Equal(2, code);
        Assert.Contains($"error: {path}: (file): the file is empty (or only comments)", stderr);
        Assert.DoesNotContain("reference.hocon", stderr);
    }

    [Fact]
    public async Task Ingrain_that_is_not_an_object_is_reported_at_the_users_line()
    {
        var path = _dir.Write("pipeline.hocon", "ingrain = 5\n");
        var (code, stderr) = await CheckConfig(path);
        Assert.Equal(2, code);
        Assert.Contains($"error: {path}:1:11: ingrain: must be an object", stderr);
        Assert.DoesNotContain(":0:0", stderr);
    }

    [Fact]
    public async Task A_misspelt_root_is_rejected_with_did_you_mean()
    {
        var path = _dir.Write("pipeline.hocon", "ingrian { probes.s { type = synthetic, pipelines = [p] } }\n" + Valid);
        var (code, stderr) = await CheckConfig(path);
        Assert.Equal(2, code);
        Assert.Contains($"error: {path}:1:9: ingrian: unknown root key \"ingrian\"; did you mean \"ingrain\"?", stderr);
    }

    [Fact]
    public async Task Misspelt_defaults_are_rejected_with_did_you_mean()
    {
        var path = _dir.Write("pipeline.hocon", Valid + """

            ingrain.defaults {
              stepz.mailbox.capacity = 8
              steps.bufer.interval = 5s
              steps.buffer { intervl = 5s, mailbox.capacty = 8 }
              backend.flush-intervall = 2s
              backends.http.uri = "http://collector.example/x"
            }
            """);
        var (code, stderr) = await CheckConfig(path);
        Assert.Equal(2, code);
        Assert.Contains("ingrain.defaults: unknown key \"stepz\"; did you mean \"step\"?", stderr);
        Assert.Contains("ingrain.defaults.steps: unknown step type \"bufer\"; did you mean \"buffer\"?", stderr);
        Assert.Contains("ingrain.defaults.steps.buffer: unknown key \"intervl\"; did you mean \"interval\"?", stderr);
        Assert.Contains("ingrain.defaults.steps.buffer.mailbox: unknown key \"capacty\"; did you mean \"capacity\"?", stderr);
        Assert.Contains("ingrain.defaults.backend: unknown key \"flush-intervall\"; did you mean \"flush-interval\"?", stderr);
        Assert.DoesNotContain("uri", stderr); // a default for a key the type reads is fine
        Assert.Contains("5 error(s)", stderr);
    }

    [Fact]
    public async Task An_included_file_with_an_unknown_extension_is_read_not_ignored()
    {
        _dir.Write("probes.hocon", "ingrain.probes.s { type = synthetic, pipelines = [nowhere] }");
        var path = _dir.Write("pipeline.hocon", "include \"probes.hocon\"\ningrain.pipelines.p.backend.type = console");
        var (code, stderr) = await CheckConfig(path);
        Assert.Equal(2, code);
        Assert.Contains($"{Path.Combine(_dir.Path, "probes.hocon")}:1:", stderr);
        Assert.Contains("pipeline \"nowhere\" doesn't exist", stderr);
    }

    [Fact]
    public async Task An_s3_endpoint_that_is_not_a_url_fails_check_config()
    {
        var path = _dir.Write("pipeline.hocon",
            "ingrain { probes.s { type = synthetic, pipelines = [p] }, pipelines.p.backend { type = s3, bucket = b, endpoint = \"not a url\" } }");
        var (code, stderr) = await CheckConfig(path);
        Assert.Equal(2, code);
        Assert.Contains("endpoint: \"not a url\" is not an absolute http:// or https:// URL", stderr);
    }

    [Fact]
    public async Task A_file_backend_path_that_cannot_be_created_fails_check_config()
    {
        var path = _dir.Write("pipeline.hocon",
            "ingrain { probes.s { type = synthetic, pipelines = [p] }, pipelines.p.backend { type = file, path = /proc/nonexistent/out.ndjson } }");
        var (code, stderr) = await CheckConfig(path);
        Assert.Equal(2, code);
        Assert.Contains("path: /proc/nonexistent/out.ndjson cannot be created: /proc is on a proc filesystem", stderr);
    }

    [Fact]
    public async Task A_reload_into_an_oversized_or_fifo_config_is_rejected_and_the_agent_keeps_running()
    {
        var config = """
            ingrain {
              agent { watch-config = off, shutdown-timeout = 10s }
              probes.synth { type = synthetic, name = kept, rate = 100, batch-size = 5, pipelines = [console] }
              pipelines.console.backend.type = console
            }
            """;
        var path = _dir.Write("pipeline.hocon", config);
        using var agent = AgentProcess.Start("run", "--config", path);
        await agent.WaitForAsync(() => agent.Stdout, "\"kept\"", TimeSpan.FromSeconds(30));

        File.WriteAllText(path, config.Replace("name = kept", "name = changed") + new string('#', 5 * 1024 * 1024));
        agent.Signal("HUP");
        await agent.WaitForAsync(() => agent.Stderr, "a configuration file may have", TimeSpan.FromSeconds(30));
        await agent.WaitForAsync(() => agent.Stderr, "reload rejected", TimeSpan.FromSeconds(30));

        File.Delete(path);
        HostileDirectory.Run("mkfifo", path);
        agent.Signal("HUP");
        await agent.WaitForAsync(() => agent.Stderr, "is a FIFO, not a regular file", TimeSpan.FromSeconds(30));

        agent.Signal("TERM");
        Assert.Equal(0, await agent.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain("\"changed\"", agent.Stdout);
    }
}

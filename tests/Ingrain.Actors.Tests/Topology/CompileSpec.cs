using Xunit;

namespace Ingrain.Actors.Tests.Topology;

public class CompileSpec
{
    private static CompileResult Compile(string text) => TopologyLoader.FromText(text, Builtins.CreateRegistry());

    private const string IssueExample = """
        ingrain {
          probes {
            exec  { type = synthetic, pipelines = [console] }
            files { type = synthetic, name = file.read, pipelines = [console, archive]
                    restart { min-backoff = 2s, max-backoff = 30s, random-factor = 0.5 } }
          }
          pipelines {
            console {
              steps = [
                { type = add-system-details }
                { type = whitelist, allow = [process_str, path_str, d_port] }
                { type = regex, patterns = [{ key = process_str, regex = "conn(\\d+)", replace-with = "docker_conn_$1" }] }
                { type = buffer, interval = 10s }
              ]
              backend { type = console }
            }
            archive {
              backend { type = file, path = /tmp/ingrain.ndjson, max-size = 1MiB, mailbox { overflow = drop-oldest } }
            }
          }
        }
        """;

    [Fact]
    public void Compiles_the_issue_example_with_reference_defaults()
    {
        var result = Compile(IssueExample);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var spec = result.Spec!;

        Assert.Equal(["exec", "files"], spec.Probes.Keys.Order());
        Assert.Equal(["console", "archive"], spec.Probes["files"].Pipelines);
        Assert.Equal(new RestartSpec(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), 0.5, -1, TimeSpan.FromMinutes(1)), spec.Probes["files"].Restart);
        Assert.Equal(TimeSpan.FromSeconds(1), spec.Probes["exec"].Restart.MinBackoff); // from reference.hocon

        var console = spec.Pipelines["console"];
        Assert.Equal(["add-system-details", "whitelist", "regex", "buffer"], console.Steps.Select(s => s.Type.Name));
        Assert.All(console.Steps, s => Assert.Equal(new MailboxSpec(64, EdgeOverflow.Backpressure), s.Mailbox));
        var buffer = Assert.IsType<BufferOptions>(console.Steps[3].Options);
        Assert.Equal(ComponentSettings.Buffer with { Percentiles = buffer.Percentiles }, buffer);
        Assert.Equal([25.0, 50, 75, 90, 95, 99], buffer.Percentiles);
        Assert.Equal(new ConsoleBackendOptions(JsonLineEncoding.Ingrain), console.Backend.Options);
        Assert.Equal("ingrain.pipelines.console.steps[2]", console.Steps[2].Path);

        var archive = spec.Pipelines["archive"];
        Assert.Empty(archive.Steps);
        Assert.Equal(new MailboxSpec(64, EdgeOverflow.DropOldest), archive.Backend.Mailbox);
        Assert.Equal(1L << 20, Assert.IsType<FileBackendOptions>(archive.Backend.Options).MaxBytes);
        Assert.Equal(TimeSpan.FromSeconds(30), spec.Agent.ShutdownTimeout);
    }

    [Fact]
    public void Specs_compare_by_value_so_the_same_text_gives_an_empty_diff()
    {
        var a = Compile(IssueExample).Spec!;
        var b = Compile(IssueExample).Spec!;
        Assert.NotSame(a.Pipelines["console"].Steps, b.Pipelines["console"].Steps);
        Assert.Equal(a, b);
        Assert.True(TopologyDiff.Between(a, b).IsEmpty);
    }

    [Fact]
    public void A_default_spelled_out_is_the_same_as_the_default()
    {
        var a = Compile(IssueExample).Spec!;
        var b = Compile(IssueExample.Replace("{ type = buffer, interval = 10s }", "{ type = buffer, interval = 10s, max-keys = 100000 }")).Spec!;
        Assert.True(TopologyDiff.Between(a, b).IsEmpty);
    }

    [Fact]
    public void Diff_changes_only_the_edited_pipeline_and_rewires_its_probes()
    {
        var a = Compile(IssueExample).Spec!;
        var b = Compile(IssueExample.Replace("interval = 10s", "interval = 5s")).Spec!;
        var diff = TopologyDiff.Between(a, b);
        Assert.Equal(["console"], diff.Pipelines.ToChange);
        Assert.Empty(diff.Pipelines.ToAdd);
        Assert.Empty(diff.Probes.ToChange);
        Assert.Equal(["exec", "files"], diff.ProbesToRewire.Order());
    }

    [Fact]
    public void Diff_only_rewires_a_probe_whose_pipelines_list_changed()
    {
        var a = Compile(IssueExample).Spec!;
        var b = Compile(IssueExample.Replace("pipelines = [console] }", "pipelines = [console, archive] }")).Spec!;
        var diff = TopologyDiff.Between(a, b);
        Assert.Equal(["exec"], diff.ProbesToRewire);
        Assert.True(diff.Probes.IsEmpty);
        Assert.True(diff.Pipelines.IsEmpty);
    }

    [Fact]
    public void Diff_restarts_a_probe_whose_settings_changed_and_adds_and_removes()
    {
        var a = Compile(IssueExample).Spec!;
        var b = Compile(IssueExample
            .Replace("min-backoff = 2s", "min-backoff = 3s")
            .Replace("exec  { type = synthetic, pipelines = [console] }", "exec2 { type = synthetic, pipelines = [console] }")).Spec!;
        var diff = TopologyDiff.Between(a, b);
        Assert.Equal(["files"], diff.Probes.ToChange);
        Assert.Equal(["exec2"], diff.Probes.ToAdd);
        Assert.Equal(["exec"], diff.Probes.ToRemove);
    }

    [Fact]
    public void Compiles_exec_filter_and_container_steps_with_their_defaults()
    {
        var spec = Compile("""
            ingrain.pipelines.p {
              steps = [
                { type = exec, command = ["/bin/kill", "-9", "{ process_id }"], only-if = [{ key = path_str, regex = "\\.ssh/id_" }], timeout = 2s }
                { type = filter, action = drop, name = "^syscall\\.", tags = [{ key = process_str, regex = "^ingrain$" }] }
                { type = container, proc-root = /host/proc }
              ]
              backend.type = console
            }
            """).Spec!;
        var steps = spec.Pipelines["p"].Steps;
        var exec = Assert.IsType<ExecOptions>(steps[0].Options);
        Assert.Equal(["/bin/kill", "-9", "{ process_id }"], exec.Command);
        Assert.Equal("path_str", Assert.Single(exec.OnlyIf).Key);
        Assert.Matches(exec.OnlyIf[0].Pattern, "home/me/.ssh/id_rsa");
        Assert.Equal((TimeSpan.FromSeconds(2), 10.0, 4, 64), (exec.Timeout, exec.MaxPerSecond, exec.MaxConcurrent, exec.QueueSize));

        var filter = Assert.IsType<FilterOptions>(steps[1].Options);
        Assert.Equal(FilterAction.Drop, filter.Action);
        Assert.Matches(filter.Name!, "syscall.enter");
        Assert.Equal("process_str", Assert.Single(filter.Tags).Key);

        Assert.Equal(ComponentSettings.Container with { ProcRoot = "/host/proc" }, steps[2].Options);
    }

    [Fact]
    public void User_file_can_override_a_generic_default_for_every_type()
    {
        var result = Compile(IssueExample + "\ningrain.defaults.step.mailbox.capacity = 8\n");
        Assert.All(result.Spec!.Pipelines["console"].Steps, s => Assert.Equal(8, s.Mailbox.Capacity));
    }
}

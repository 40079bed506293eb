using Xunit;

namespace Ingrain.Actors.Tests.Topology;

public class ValidationSpec
{
    private static string[] Errors(string text) =>
        TopologyLoader.FromText(text, Builtins.CreateRegistry(), "pipeline.hocon").Errors.Select(e => e.ToString()).ToArray();

    [Fact]
    public void Reports_every_error_at_once_with_location_and_component_path()
    {
        var errors = Errors("""
            ingrain {
              probes {
                exec  { type = synthetik, pipelines = [console] }
                files { type = synthetic, pipelines = [consle, console] }
              }
              pipelines {
                console {
                  steps = [
                    { type = whitelist, alow = [process_str] }
                    { type = regex, patterns = [{ key = process_str, regex = "conn(\\d+", replace-with = x }] }
                    { type = buffer, interval = [1] }
                    { type = bufer }
                  ]
                  backend { type = console, encoding = json }
                }
                empty { steps = [] }
              }
            }
            """);
        Assert.Equal([
            "pipeline.hocon:9:9: ingrain.pipelines.console.steps[0]: missing required key \"allow\"",
            "pipeline.hocon:9:36: ingrain.pipelines.console.steps[0]: unknown key \"alow\"; did you mean \"allow\"?",
            "pipeline.hocon:10:66: ingrain.pipelines.console.steps[1].patterns[0]: regex: bad regex \"conn(\\d+\": Invalid pattern 'conn(\\d+' at offset 8. Not enough )'s.",
            "pipeline.hocon:11:37: ingrain.pipelines.console.steps[2]: interval: expected a duration such as 10s or 500ms, got a list",
            "pipeline.hocon:12:18: ingrain.pipelines.console.steps[3]: type: unknown step type \"bufer\"; did you mean \"buffer\"? (known: add-system-details, buffer, container, exec, filter, regex, whitelist)",
            "pipeline.hocon:14:44: ingrain.pipelines.console.backend: encoding: \"json\" is not one of ingrain, ingraind",
            "pipeline.hocon:16:11: ingrain.pipelines.empty: missing required key \"backend\" (e.g. backend { type = console })",
            "pipeline.hocon:3:20: ingrain.probes.exec: type: unknown probe type \"synthetik\"; did you mean \"synthetic\"? (known: synthetic)",
            "pipeline.hocon:4:44: ingrain.probes.files: pipeline \"consle\" doesn't exist; did you mean \"console\"?",
        ], errors);
    }

    [Fact]
    public void A_probe_may_not_take_the_self_metrics_probes_reserved_name()
    {
        var error = Assert.Single(Errors("""
            ingrain {
              probes {
                ok { type = synthetic, pipelines = [console] }
                "ingrain.agent.self-metrics" { type = synthetic, pipelines = [console] }
              }
              pipelines { console { steps = [], backend { type = console } } }
            }
            """));
        Assert.Equal("pipeline.hocon:4:34: ingrain.probes.ingrain.agent.self-metrics: the probe name \"ingrain.agent.self-metrics\" is reserved "
                     + "for the agent's self-metrics (ingrain.agent.self-metrics); choose another name", error);
    }

    [Fact]
    public void A_syntax_error_is_one_error_with_its_location()
    {
        var error = Assert.Single(Errors("ingrain { probes { x = [ } }"));
        Assert.StartsWith("pipeline.hocon:1:", error);
    }

    [Theory]
    [InlineData("{ type = exec }", "missing required key \"command\"")]
    [InlineData("{ type = exec, command = [] }", "command: must name a program (argv, no shell)")]
    [InlineData("{ type = exec, command = [kill], max-per-second = -1 }", "max-per-second: must be between 0.001 and")]
    [InlineData("{ type = exec, command = [kill], only-if = [{ key = process_str }] }", "missing required key \"regex\"")]
    [InlineData("{ type = filter }", "a filter needs \"name\" or \"tags\" (or both)")]
    [InlineData("{ type = filter, name = x, action = keeep }", "action: \"keeep\" is not one of keep, drop; did you mean \"keep\"?")]
    [InlineData("{ type = buffer, percentiles = [50, 120] }", "percentiles: expected numbers between 0 and 100, got 120")]
    [InlineData("{ type = buffer, max-keys = 0 }", "max-keys: must be at least 1, got 0")]
    [InlineData("{ type = whitelist, allow = process_str }", "allow: expected a list of strings, got \"process_str\"")]
    [InlineData("{ type = buffer, mailbox { capacity = 0 } }", "capacity: must be at least 1, got 0")]
    [InlineData("{ type = buffer, mailbox { overflow = drop-newest } }", "overflow: \"drop-newest\" is not one of backpressure, drop-incoming, drop-oldest")]
    [InlineData("whitelist", "steps[0]: expected an object, got \"whitelist\"")]
    [InlineData("{ type = regex, patterns = [{ key = k, regex = \"c(\\\\d+)\", replace-with = \"x$2\" }] }", "patterns[0]: replace-with: $2 refers to a group the regex doesn't have")]
    [InlineData("{ type = regex, patterns = [{ key = k, regex = \"c(?<n>\\\\d+)\", replace-with = \"${m}\" }] }", "patterns[0]: replace-with: ${m} refers to a group the regex doesn't have")]
    [InlineData("{ type = regex, patterns = [{ key = k, regex = c, replace-with = \"${1}\" }] }", "replace-with: ${1} refers to a group")]
    public void Reports_bad_step_settings(string step, string expected)
    {
        var error = Assert.Single(Errors($"ingrain.pipelines.p {{ steps = [{step}], backend.type = console }}"));
        Assert.Contains(expected, error);
        Assert.StartsWith("pipeline.hocon:1:", error);
    }

    [Theory]
    [InlineData("$1-${n}-$0-$$2-${2}")]
    [InlineData("$$")]
    [InlineData("plain")]
    public void Accepts_replacements_that_name_existing_groups(string replaceWith)
    {
        Assert.Empty(Errors($$"""ingrain.pipelines.p { steps = [{ type = regex, patterns = [{ key = k, regex = "(a)(?<n>b)", replace-with = "{{replaceWith}}" }] }], backend.type = console }"""));
    }

    [Theory]
    [InlineData("restart { min-backoff = 10s, max-backoff = 1s }", "max-backoff: must be at least min-backoff")]
    [InlineData("restart { random-factor = 2 }", "random-factor: must be between 0 and 1, got 2")]
    [InlineData("restart { min-backof = 1s }", "unknown key \"min-backof\"; did you mean \"min-backoff\"?")]
    [InlineData("pipelines = p", "pipelines: expected a list of pipeline names")]
    [InlineData("rate = fast", "rate: expected a number, got \"fast\"")]
    public void Reports_bad_probe_settings(string setting, string expected)
    {
        var error = Assert.Single(Errors($"ingrain {{ probes.s {{ type = synthetic, {setting} }}, pipelines.p.backend.type = console }}"));
        Assert.Contains("ingrain.probes.s", error);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Reports_unknown_top_level_keys_and_missing_types()
    {
        Assert.Equal([
            "pipeline.hocon:1:45: ingrain.probes.s: missing required key \"type\"",
            "pipeline.hocon:1:30: ingrain: unknown key \"pipeline\"; did you mean \"pipelines\"?",
        ], Errors("ingrain { agent {}, pipeline {}, probes { s { pipelines = [] } } }"));
    }

    [Fact]
    public void Warns_about_unused_pipelines_and_idle_probes()
    {
        var result = TopologyLoader.FromText("ingrain { probes.s { type = synthetic }, pipelines.p.backend.type = console }", Builtins.CreateRegistry());
        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Warnings.Count);
        Assert.Contains(result.Warnings, w => w.Message == "pipeline \"p\" is not used by any probe");
        Assert.Contains(result.Warnings, w => w.Message == "probe \"s\" feeds no pipeline");
    }
}

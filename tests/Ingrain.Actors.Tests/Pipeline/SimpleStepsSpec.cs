using Xunit;
using System.Text.RegularExpressions;

namespace Ingrain.Actors.Tests.Pipeline;

public class SimpleStepsSpec
{
    private static readonly Tags ExecTags = Tags.Of(("process_id", "42"), ("process_str", "conn17"), ("path_str", "etc/passwd"));

    [Fact]
    public void Whitelist_keeps_only_listed_keys_in_order()
    {
        var step = new WhitelistStep(["path_str", "process_str"]);
        var result = Assert.Single(M.Run(step, M.Counter("file.read", tags: ExecTags)));
        Assert.Equal(Tags.Of(("process_str", "conn17"), ("path_str", "etc/passwd")), result.Tags);
        Assert.Equal("file.read", result.Name);
    }

    [Fact]
    public void A_typed_probe_event_does_not_survive_a_tag_edit()
    {
        var exec = new Ingrain.Probes.Exec.ExecEvent(1, new Ingrain.Probes.Exec.ProcessIdentity(42, 42, 1, 0, 0, "cat", 0), "/bin/cat",
            ["cat", "/etc/shadow"], argsTruncated: false);
        Assert.Contains(exec.Tags.AsSpan().ToArray(), t => t.Key == "args_str");

        var result = Assert.Single(M.Run(new WhitelistStep(["process_str"]), exec));
        Assert.Equal(typeof(Measurement), result.GetType()); // no ExecEvent left, so no Args holding the removed argv
        Assert.DoesNotContain(result.Tags.AsSpan().ToArray(), t => t.Key == "args_str");
    }

    [Fact]
    public void Whitelist_with_empty_list_strips_every_tag()
    {
        var result = Assert.Single(M.Run(new WhitelistStep([]), M.Counter("x", tags: ExecTags)));
        Assert.Empty(result.Tags);
    }

    [Fact]
    public void Regex_replaces_whole_value_with_capture_group_expansion()
    {
        var step = new RegexStep([new RegexRule("process_str", new Regex("conn(\\d+)"), "proxy_$1")]);
        var result = Assert.Single(M.Run(step, M.Counter("x", tags: Tags.Of(("process_str", "xconn17y"), ("path_str", "conn1")))));
        Assert.Equal("proxy_17", result.Tags.Get("process_str"));
        Assert.Equal("conn1", result.Tags.Get("path_str")); // other keys untouched
    }

    [Fact]
    public void Regex_leaves_non_matching_values_and_applies_rules_for_one_key_in_order()
    {
        var step = new RegexStep([
            new RegexRule("process_str", new Regex("^conn\\d+$"), "docker_conn_proxy"),
            new RegexRule("process_str", new Regex("docker_(.*)"), "$1"),
        ]);
        var results = M.Run(step,
            M.Counter("a", tags: Tags.Of(("process_str", "conn9"))),
            M.Counter("b", tags: Tags.Of(("process_str", "bash"))),
            M.Counter("c", tags: Tags.Of(("process_str", "conn9")))); // served from the cache, same answer
        Assert.Equal(["conn_proxy", "bash", "conn_proxy"], results.Select(m => m.Tags.Get("process_str")));
    }

    [Fact]
    public void Add_system_details_sets_host_and_kernel_without_duplicating()
    {
        var step = new AddSystemDetailsStep(new SystemDetails("box.example.org", "6.8.0"));
        var result = Assert.Single(M.Run(step, M.Counter("x", tags: Tags.Of(("host", "old"), ("a", "b")))));
        Assert.Equal(Tags.Of(("host", "box.example.org"), ("a", "b"), ("kernel", "6.8.0")), result.Tags);
    }

    [Theory]
    [InlineData("kernel", "6.8.0", "host", "box.example.org", "kernel=6.8.0,host=box.example.org")] // both present: same measurement
    [InlineData("kernel", "5.0", "host", "box.example.org", "kernel=6.8.0,host=box.example.org")]
    [InlineData("a", "b", "kernel", "6.8.0", "a=b,kernel=6.8.0,host=box.example.org")]
    [InlineData("a", "b", "c", "d", "a=b,c=d,host=box.example.org,kernel=6.8.0")]
    public void Add_system_details_sets_both_tags_in_place_or_appends(string k1, string v1, string k2, string v2, string expected)
    {
        var step = new AddSystemDetailsStep(new SystemDetails("box.example.org", "6.8.0"));
        var input = M.Counter("x", tags: Tags.Of((k1, v1), (k2, v2)));
        var result = Assert.Single(M.Run(step, input));
        Assert.Equal(expected, result.Tags.ToString());
        Assert.Equal(result.Tags.Equals(input.Tags), ReferenceEquals(input, result)); // unchanged tags: no copy at all
    }

    [Fact]
    public void System_details_read_the_running_kernel()
    {
        var details = SystemDetails.Read();
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), details.Kernel);
        Assert.StartsWith(File.ReadAllText("/proc/sys/kernel/hostname").Trim(), details.Host);
    }

    [Fact]
    public void Filter_keep_passes_only_matches_and_counts_drops()
    {
        var context = M.Context();
        var step = new FilterStep(FilterAction.Keep, new Regex("^process\\."), [new TagCondition("path_str", new Regex("^/usr/"))], context.Counters);
        var results = M.Run(step,
            M.Counter("process.exec", tags: Tags.Of(("path_str", "/usr/bin/ls"))),
            M.Counter("process.exec", tags: Tags.Of(("path_str", "/tmp/x"))),
            M.Counter("process.exec"),                                           // absent tag: no match
            M.Counter("file.read", tags: Tags.Of(("path_str", "/usr/lib/x"))));
        Assert.Equal("/usr/bin/ls", Assert.Single(results).Tags.Get("path_str"));
        Assert.Equal(3, context.Counters.Dropped);
    }

    [Fact]
    public void Filter_drop_removes_matches()
    {
        var context = M.Context();
        var step = new FilterStep(FilterAction.Drop, null, [new TagCondition("process_str", new Regex("^ingrain$"))], context.Counters);
        var results = M.Run(step,
            M.Counter("a", tags: Tags.Of(("process_str", "ingrain"))),
            M.Counter("b", tags: Tags.Of(("process_str", "bash"))));
        Assert.Equal("b", Assert.Single(results).Name);
        Assert.Equal(1, context.Counters.Dropped);
    }
}

using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ingrain.Agent.Composition;
using Ingrain.Native;
using Ingrain.TestSupport.Kernel;
using Xunit;

namespace Ingrain.Agent.Tests;

/// <summary>
/// <c>ingrain probes</c> and <c>ingrain version</c>, run as the real executable: every probe type with what it needs,
/// answered by feature probes that agree with bpftool's own (<c>bpftool feature probe kernel</c>), and that never
/// call a missing privilege a missing kernel feature.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed partial class ProbesCommandSpec
{
    private static async Task<string> Run(params string[] args)
    {
        using var agent = AgentProcess.Start(args);
        Assert.Equal(0, await agent.ExitCodeAsync(TimeSpan.FromSeconds(60)));
        return agent.Stdout;
    }

    private static JsonElement[] Json(string stdout) => [.. JsonDocument.Parse(stdout).RootElement.EnumerateArray()];

    [KernelFact]
    public async Task Lists_every_probe_type_and_this_kernel_runs_the_ported_ones()
    {
        KernelRequirements.Require();
        var probes = Json(await Run("probes", "--json"));
        Assert.Equal(AgentModules.CreateRegistry().Probes.Keys.Order(), probes.Select(p => p.GetProperty("type").GetString()!).Order());
        foreach (var probe in probes)
        {
            // As root on 6.18 every requirement is there.
            Assert.True(probe.GetProperty("ready").GetBoolean(), probe.ToString());
            Assert.True(probe.GetProperty("kernel_can_run").GetBoolean());
        }
        var exec = probes.Single(p => p.GetProperty("type").GetString() == "exec").GetProperty("requirements").EnumerateArray()
            .Select(r => r.GetProperty("needs").GetString()).ToArray();
        Assert.Contains("program type tracepoint", exec);
        Assert.Contains("tracepoint sched/sched_process_exec", exec);
        Assert.Contains("map type ringbuf", exec);
        Assert.Contains("CAP_BPF", exec);
        var syscalls = probes.Single(p => p.GetProperty("type").GetString() == "syscalls").GetProperty("requirements").EnumerateArray()
            .Select(r => r.GetProperty("needs").GetString()).ToArray();
        Assert.Contains("raw tracepoint sys_enter", syscalls);
        Assert.Empty(probes.Single(p => p.GetProperty("type").GetString() == "statsd").GetProperty("requirements").EnumerateArray());

        var table = await Run("probes");
        Assert.Matches(@"^PROBE\s+CAN RUN\s+NEEDS\s+HAS\s+WHY NOT\n", table);
        Assert.Matches(@"\nexec\s+yes\s+program type tracepoint\s+yes\n", table);
        Assert.Matches(@"\n\s+tp_btf inet_sock_set_state\s+yes\n", table);
    }

    [GeneratedRegex(@"^eBPF (program|map)_type (\w+) is (NOT )?available$", RegexOptions.Multiline)]
    private static partial Regex BpftoolLine();

    [KernelFact]
    public void Program_and_map_types_agree_with_bpftool_including_the_ones_this_kernel_lacks()
    {
        KernelRequirements.Require();
        using var bpftool = Process.Start(new ProcessStartInfo("bpftool", ["feature", "probe", "kernel"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = bpftool.StandardOutput.ReadToEnd();
        bpftool.WaitForExit();
        var peer = BpftoolLine().Matches(output).ToDictionary(m => (m.Groups[1].Value, m.Groups[2].Value), m => !m.Groups[3].Success);
        Assert.NotEmpty(peer);
        var compared = 0;
        foreach (var type in KernelFeatures.KnownProgramTypes.Where(t => t != "tracing")) // libbpf's tracing probe loads fentry: see below
        {
            Assert.Equal(peer[("program", type)], KernelFeatures.ProgramType(type).Available);
            compared++;
        }
        foreach (var type in KernelFeatures.KnownMapTypes)
        {
            Assert.Equal(peer[("map", type)], KernelFeatures.MapType(type).Available);
            compared++;
        }
        Assert.True(compared > 15);
        // This kernel has no LSM programs: both say so, with the reason ingrain gives.
        Assert.False(peer[("program", "lsm")]);
        Assert.Equal(new FeatureAnswer(false, "this kernel has no BPF program type lsm"), KernelFeatures.ProgramType("lsm"));
        // tp_btf works here although libbpf's (and bpftool's) "tracing" probe, an fentry program, fails: the network
        // probe's tp_btf requirement is its BTF type, which is there.
        Assert.False(peer[("program", "tracing")]);
        Assert.Equal(FeatureAnswer.Yes, KernelFeatures.BtfTracepoint("sock/inet_sock_set_state"));
    }

    [KernelFact]
    public void Tracepoints_btf_tracepoints_cgroup2_and_btf_are_looked_up_in_the_kernel()
    {
        KernelRequirements.Require();
        Assert.Equal(FeatureAnswer.Yes, KernelFeatures.Tracepoint("sched/sched_process_exec"));
        Assert.Equal(FeatureAnswer.No("no tracepoint sched/ingrain_no_such_event in /sys/kernel/tracing/events"),
            KernelFeatures.Tracepoint("sched/ingrain_no_such_event"));
        Assert.Equal(FeatureAnswer.No("the kernel's BTF has no btf_trace_ingrain_no_such_event (no BTF tracepoint ingrain_no_such_event)"),
            KernelFeatures.BtfTracepoint("sock/ingrain_no_such_event"));
        Assert.Equal(FeatureAnswer.Yes, KernelFeatures.CgroupV2());
        Assert.Equal(FeatureAnswer.Yes, KernelFeatures.Btf());
    }

    [KernelFact]
    public async Task Without_privileges_a_check_is_unknown_and_a_capability_is_missing_never_a_kernel_feature()
    {
        KernelRequirements.Require();
        {
            using var agent = AgentProcess.StartAsNobody("", "probes", "--json");
            Assert.Equal(0, await agent.ExitCodeAsync(TimeSpan.FromSeconds(60)));
            foreach (var probe in Json(agent.Stdout).Where(p => p.GetProperty("requirements").GetArrayLength() > 0))
            {
                Assert.True(probe.GetProperty("kernel_can_run").GetBoolean(), probe.ToString());
                Assert.False(probe.GetProperty("ready").GetBoolean());
                foreach (var r in probe.GetProperty("requirements").EnumerateArray())
                {
                    var available = r.GetProperty("available");
                    if (r.GetProperty("kind").GetString() == "capability") Assert.False(available.GetBoolean());
                    else if (r.GetProperty("kind").GetString() is "program-type" or "map-type" or "tracepoint" or "raw-tracepoint")
                    {
                        Assert.Equal(JsonValueKind.Null, available.ValueKind);
                        Assert.Contains("needs CAP_", r.GetProperty("reason").GetString());
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Version_prints_the_version_the_commit_and_the_libbpf_it_loads()
    {
        var lines = (await Run("version")).TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("ingrain 0.1.0", lines[0]);
        Assert.Matches("^commit ([0-9a-f]{12}|unknown)$", lines[1]);
        // The library's own file name (libbpf.so.1 -> libbpf.so.1.M.P) says the same major.minor.
        var library = File.ResolveLinkTarget(new[] { "/lib/x86_64-linux-gnu/libbpf.so.1", "/usr/lib/x86_64-linux-gnu/libbpf.so.1", "/lib/aarch64-linux-gnu/libbpf.so.1" }
            .First(File.Exists), returnFinalTarget: true)!.Name;
        var version = Regex.Match(library, @"libbpf\.so\.(\d+\.\d+)").Groups[1].Value;
        Assert.Equal($"libbpf {version}", lines[2]);
    }
}

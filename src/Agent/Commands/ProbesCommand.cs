using System.CommandLine;
using System.Text.Json;
using Ingrain.Agent.Composition;
using Ingrain.Probes.Kernel;
using Ingrain.Topology.Modules;

namespace Ingrain.Agent.Commands;

/// <summary>
/// <c>ingrain probes [--json]</c>: every probe type, what it needs (program, map and tracepoint types, cgroup v2, BTF,
/// capabilities), whether this kernel and process have it, and why not — asked of the kernel (libbpf's feature
/// probes, tracefs, the kernel's BTF, mountinfo), never guessed from its version. Exit 0.
/// </summary>
internal static class ProbesCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON (one object per probe type) for scripts." };
        var command = new Command("probes", "List every probe type, what it needs, and whether this kernel has it.") { json };
        command.SetAction(result => Run(result.GetValue(json), Console.Out));
        return command;
    }

    internal static int Run(bool json, TextWriter stdout)
    {
        var reports = AgentModules.CreateRegistry().Probes.Values.Select(ProbeSupport.Check).ToArray();
        if (json) WriteJson(reports, stdout);
        else WriteTable(reports, stdout);
        return 0;
    }

    private static void WriteTable(IReadOnlyList<ProbeSupportReport> reports, TextWriter stdout)
    {
        var rows = new List<string[]> { new[] { "PROBE", "CAN RUN", "NEEDS", "HAS", "WHY NOT" } };
        foreach (var r in reports)
        {
            var canRun = r.KernelCannotRun is null ? (r.Ready ? "yes" : "privileges") : "no";
            if (r.Requirements.Count == 0) rows.Add([r.Type, canRun, "nothing of the kernel's (user space)", "", ""]);
            for (var i = 0; i < r.Requirements.Count; i++)
            {
                var q = r.Requirements[i];
                rows.Add([i == 0 ? r.Type : "", i == 0 ? canRun : "", q.Requirement.ToString(), Has(q.Available), q.Reason ?? ""]);
            }
        }
        var widths = Enumerable.Range(0, 4).Select(c => rows.Max(row => row[c].Length)).ToArray();
        foreach (var row in rows)
            stdout.WriteLine((string.Join("  ", row.Take(4).Select((cell, c) => cell.PadRight(widths[c]))) + "  " + row[4]).TrimEnd());
        stdout.WriteLine();
        stdout.WriteLine("CAN RUN: privileges = nothing the kernel lacks was found, but this process lacks a capability (or one to check with).");
    }

    private static string Has(bool? available) => available switch
    {
        true => "yes",
        false => "no",
        null => "unknown",
    };

    private static void WriteJson(IReadOnlyList<ProbeSupportReport> reports, TextWriter stdout)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var r in reports)
            {
                w.WriteStartObject();
                w.WriteString("type", r.Type);
                w.WriteBoolean("kernel_can_run", r.KernelCannotRun is null);
                w.WriteBoolean("ready", r.Ready);
                if (r.KernelCannotRun is { } why) w.WriteString("why_not", why);
                else w.WriteNull("why_not");
                w.WriteStartArray("requirements");
                foreach (var q in r.Requirements)
                {
                    w.WriteStartObject();
                    w.WriteString("kind", Kind(q.Requirement.Kind));
                    w.WriteString("name", q.Requirement.Name);
                    w.WriteString("needs", q.Requirement.ToString());
                    w.WriteBoolean("of_the_kernel", q.Requirement.OfTheKernel);
                    if (q.Available is { } a) w.WriteBoolean("available", a);
                    else w.WriteNull("available");
                    if (q.Reason is { } reason) w.WriteString("reason", reason);
                    else w.WriteNull("reason");
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static string Kind(RequirementKind kind) => kind switch
    {
        RequirementKind.ProgramType => "program-type",
        RequirementKind.MapType => "map-type",
        RequirementKind.Tracepoint => "tracepoint",
        RequirementKind.RawTracepoint => "raw-tracepoint",
        RequirementKind.BtfTracepoint => "btf-tracepoint",
        RequirementKind.Cgroup2 => "cgroup2",
        RequirementKind.Btf => "btf",
        _ => "capability",
    };
}

using System.Globalization;

namespace Ingrain.Probes.Exec;

/// <summary>The six tags every process event starts with, in this order.</summary>
internal static class ProcessTags
{
    public static void Fill(KeyValuePair<string, string>[] pairs, ProcessIdentity p)
    {
        pairs[0] = new("process_id", p.ProcessId.ToString(CultureInfo.InvariantCulture));
        pairs[1] = new("process_str", p.Command);
        pairs[2] = new("thread_id", p.ThreadId.ToString(CultureInfo.InvariantCulture));
        pairs[3] = new("ppid_id", p.ParentProcessId.ToString(CultureInfo.InvariantCulture));
        pairs[4] = new("uid_id", p.Uid.ToString(CultureInfo.InvariantCulture));
        pairs[5] = new("gid_id", p.Gid.ToString(CultureInfo.InvariantCulture));
    }
}

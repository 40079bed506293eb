namespace Ingrain.Model;

/// <summary>The host's fully qualified name and kernel release, as <c>uname</c> reports them.</summary>
public sealed record SystemDetails(string Host, string Kernel)
{
    /// <summary>
    /// Reads nodename, NIS domain name and kernel release from <c>/proc/sys/kernel</c> (what uname(2) returns):
    /// host = nodename, plus <c>.domainname</c> unless the domain is unset (<c>(none)</c>), as ingraind did.
    /// </summary>
    public static SystemDetails Read(string procSysKernel = "/proc/sys/kernel")
    {
        var node = ReadLine(Path.Combine(procSysKernel, "hostname")) ?? Environment.MachineName;
        var domain = ReadLine(Path.Combine(procSysKernel, "domainname"));
        var host = string.IsNullOrEmpty(domain) || domain == "(none)" || node.Contains('.') ? node : $"{node}.{domain}";
        var kernel = ReadLine(Path.Combine(procSysKernel, "osrelease")) ?? Environment.OSVersion.Version.ToString();
        return new SystemDetails(host, kernel);
    }

    private static string? ReadLine(string path) =>
        File.Exists(path) ? File.ReadAllText(path).Trim() : null;
}

namespace Ingrain.Probes.Files;

/// <summary>
/// Device numbers in the two encodings that meet here: the kernel's <c>s_dev</c> (<c>(major &lt;&lt; 20) | minor</c>,
/// what the BPF side sees) and the <c>st_dev</c> that <c>stat(2)</c> returns (glibc's <c>makedev</c>, what
/// <c>stat -c %d</c> prints and what <c>dev_id</c> reports).
/// </summary>
public static class DeviceNumbers
{
    public static ulong KernelToStat(uint kernel)
    {
        ulong major = kernel >> 20, minor = kernel & 0xFFFFF;
        return ((major & 0xFFFFF000) << 32) | ((major & 0xFFF) << 8) | ((minor & 0xFFFFFF00) << 12) | (minor & 0xFF);
    }

    public static uint StatToKernel(ulong stat)
    {
        var major = (uint)(((stat >> 32) & 0xFFFFF000) | ((stat >> 8) & 0xFFF));
        var minor = (uint)(((stat >> 12) & 0xFFFFFF00) | (stat & 0xFF));
        return (major << 20) | (minor & 0xFFFFF);
    }
}

using System.Runtime.InteropServices;

namespace Ingrain.Native;

/// <summary>
/// Socket cookies of other processes' sockets. The kernel makes a socket's cookie on first use; a BPF iterator can
/// only read it, so for a socket that has none yet the agent borrows the descriptor (<c>pidfd_getfd</c>) and asks
/// with <c>getsockopt(SO_COOKIE)</c>, which makes it.
/// </summary>
public static unsafe partial class SocketCookies
{
    private const long SysPidfdOpen = 434, SysPidfdGetfd = 438;
    private const int SolSocket = 1, SoCookie = 57;

    /// <summary>The cookie of process <paramref name="tgid"/>'s socket descriptor <paramref name="fd"/>, made if it had
    /// none; 0 when the process or descriptor is gone or cannot be borrowed.</summary>
    public static ulong Of(int tgid, int fd)
    {
        var pidfd = (int)Syscall(SysPidfdOpen, tgid, 0, 0);
        if (pidfd < 0) return 0;
        try
        {
            var copy = (int)Syscall(SysPidfdGetfd, pidfd, fd, 0);
            if (copy < 0) return 0;
            try
            {
                ulong cookie = 0;
                var length = (uint)sizeof(ulong);
                return GetSockOpt(copy, SolSocket, SoCookie, &cookie, &length) == 0 ? cookie : 0;
            }
            finally
            {
                Close(copy);
            }
        }
        finally
        {
            Close(pidfd);
        }
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long a, long b, long c);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    private static partial int GetSockOpt(int fd, int level, int name, void* value, uint* length);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}

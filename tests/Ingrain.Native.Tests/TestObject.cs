using System.Net;
using System.Net.Sockets;

namespace Ingrain.Native.Tests;

/// <summary>bpf/test/native_test.bpf.c, compiled by bpf/Bpf.targets and embedded in this test assembly.</summary>
internal static class TestObject
{
    public static byte[] Bytes()
    {
        using var stream = typeof(TestObject).Assembly.GetManifestResourceStream("bpf/native_test.bpf.o")
            ?? throw new InvalidOperationException("bpf/native_test.bpf.o is not embedded: check the BpfSource items of the test project");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Opens the test object with target_tgid set to this process, and loads it.</summary>
    public static BpfObject OpenAndLoad(ulong magic = 0)
    {
        var obj = BpfObject.Open(Bytes(), "ingrain_ntest");
        obj.SetGlobal("target_tgid", (uint)Environment.ProcessId);
        obj.SetGlobal("magic", magic);
        obj.Load();
        return obj;
    }

    /// <summary>Calls getppid(2) <paramref name="times"/> times: the syscall the test programs watch.</summary>
    public static void CallGetppid(int times)
    {
        for (var i = 0; i < times; i++) Interop.LibC.GetPpid();
    }

    /// <summary>Sends a few UDP datagrams over loopback.</summary>
    public static void SendLoopbackPackets(int count = 3)
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new UdpClient();
        var target = (IPEndPoint)receiver.Client.LocalEndPoint!;
        for (var i = 0; i < count; i++) sender.Send([1, 2, 3], 3, target);
    }

    /// <summary>Waits up to 5 s for <paramref name="condition"/> (kernel-side effects such as freeing are asynchronous).</summary>
    public static bool Eventually(Func<bool> condition)
    {
        var deadline = Environment.TickCount64 + 5000;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline) return false;
            Thread.Sleep(20);
        }
        return true;
    }
}

using System.Diagnostics;
using System.Text.Json;
using Ingrain.TestSupport;
using Xunit;

namespace Ingrain.Hocon.Tests;

/// <summary>Runs the real <c>ingrain hocon</c> executable.</summary>
public sealed class HoconCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Prints_resolved_json_and_exits_zero()
    {
        var file = _folder.Write("ok.conf", "a = 1\nb = ${a} x\nlist = [${a}, 2]\n");
        var (code, stdout, stderr) = RunAgent("hocon", file, "--no-env");
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("1 x", json.RootElement.GetProperty("b").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("list").GetArrayLength());
    }

    [Fact]
    public void Env_fallback_is_on_unless_no_env()
    {
        var file = _folder.Write("env.conf", "home = ${?INGRAIN_HOCON_CLI_TEST}\n");
        var (code, stdout, _) = RunAgent(new Dictionary<string, string> { ["INGRAIN_HOCON_CLI_TEST"] = "here" }, "hocon", file);
        Assert.Equal(0, code);
        Assert.Equal("here", JsonDocument.Parse(stdout).RootElement.GetProperty("home").GetString());
        (code, stdout, _) = RunAgent(new Dictionary<string, string> { ["INGRAIN_HOCON_CLI_TEST"] = "here" }, "hocon", file, "--no-env");
        Assert.Equal(0, code);
        Assert.False(JsonDocument.Parse(stdout).RootElement.TryGetProperty("home", out _));
    }

    [Fact]
    public void Errors_go_to_stderr_with_exit_two()
    {
        var file = _folder.Write("bad.conf", "a {\n  b = ${nope}\n}\n");
        var (code, stdout, stderr) = RunAgent("hocon", file, "--no-env");
        Assert.Equal(2, code);
        Assert.Equal("", stdout.Trim());
        Assert.Contains($"{file}:2:7", stderr);
        Assert.Contains("nope", stderr);

        (code, _, stderr) = RunAgent("hocon", Path.Combine(_folder.Path, "missing.conf"));
        Assert.Equal(2, code);
        Assert.Contains("missing.conf", stderr);
    }

    private static (int Code, string Stdout, string Stderr) RunAgent(params string[] args) => RunAgent(new Dictionary<string, string>(), args);

    private static (int Code, string Stdout, string Stderr) RunAgent(IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(AgentDll());
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (name, value) in env) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "ingrain hocon did not exit within 60s");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The agent built in the same configuration (Debug/Release) as this test assembly.</summary>
    private static string AgentDll()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(RepoPaths.Root, "src", "Agent", "bin", configuration, "net10.0", "ingrain.dll");
        Assert.True(File.Exists(dll), $"agent not built: {dll}");
        return dll;
    }
}

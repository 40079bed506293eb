using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Ingrain.Actors.Logging;
using Ingrain.TestSupport;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Ingrain.Actors.Tests;

/// <summary>Akka's log events reach Microsoft.Extensions.Logging under the path of the actor that logged them.</summary>
public sealed class ActorLogBridgeSpec
{
    [Fact]
    public async Task An_actors_warning_is_logged_under_its_own_path_with_its_level()
    {
        var log = new CapturingLogger();
        using var factory = LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Debug));
        var setup = BootstrapSetup.Create()
            .WithConfig(ConfigurationFactory.ParseString($"akka.loggers = [\"{typeof(ActorLogBridge).AssemblyQualifiedName}\"]\nakka.loglevel = INFO"))
            .And(new ActorLogSetup(factory));
        using var system = ActorSystem.Create("bridge", setup);
        var talker = system.ActorOf(Props.Create(() => new Talker()), "talker");

        talker.Tell("the ring buffer is full");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!log.Entries.Any(e => e.Line.Contains("the ring buffer is full")) && DateTime.UtcNow < deadline) await Task.Delay(10);
        var entry = Assert.Single(log.Entries, e => e.Line.Contains("the ring buffer is full"));
        Assert.Equal("akka://bridge/user/talker", entry.Category);
        Assert.StartsWith("Warning: ", entry.Line);
        await system.Terminate();
    }

    private sealed class Talker : ReceiveActor
    {
        public Talker()
        {
            var log = Context.GetLogger();
            Receive<string>(text => log.Warning(text));
        }
    }
}

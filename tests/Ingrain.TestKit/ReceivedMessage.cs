using Ingrain.Actors;

namespace Ingrain.TestKit;

/// <summary>A message that reached a test actor or probe, with its sender.</summary>
public sealed record ReceivedMessage(object Message, IActorRef Sender);

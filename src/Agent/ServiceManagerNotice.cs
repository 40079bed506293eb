using Microsoft.Extensions.Hosting.Systemd;

namespace Ingrain.Agent;

/// <summary>
/// Tells systemd (<c>Type=notify</c>, through Microsoft.Extensions.Hosting.Systemd's notifier) when the agent is
/// ready — every probe started, the pipelines running — and when it begins to stop. Does nothing when the agent was
/// not started by systemd (no <c>NOTIFY_SOCKET</c>).
/// </summary>
internal sealed class ServiceManagerNotice
{
    private readonly SystemdNotifier _notifier = new();

    public void Ready(string status)
    {
        if (!_notifier.IsEnabled) return;
        _notifier.Notify(new ServiceState($"STATUS={status}"));
        _notifier.Notify(ServiceState.Ready);
    }

    public void Stopping()
    {
        if (_notifier.IsEnabled) _notifier.Notify(ServiceState.Stopping);
    }
}

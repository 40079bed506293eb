namespace Ingrain.Actors.Scheduling;

/// <summary>A scheduled delivery that can be cancelled; cancelling twice is harmless.</summary>
public interface ICancelable
{
    bool IsCancellationRequested { get; }

    void Cancel();
}

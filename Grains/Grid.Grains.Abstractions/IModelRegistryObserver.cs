using Orleans.Concurrency;

namespace Grid.Grains.Abstractions;

/// <summary>
/// A silo's subscription to the model registry grain (<see cref="IModelRegistryGrain"/>): told when the current version
/// changes. One-way, so a slow or dead silo never holds up a switch; a lost notice is made good by the silo's next
/// renewal, whose answer carries the current version.
/// </summary>
public interface IModelRegistryObserver : IGrainObserver
{
    /// <summary>The current model version is now <paramref name="version"/>.</summary>
    [OneWay]
    Task OnCurrentChangedAsync(uint version);
}

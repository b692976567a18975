using Microsoft.Extensions.DependencyInjection;

namespace Grid.Grains.Models;

/// <summary>Silo wiring of the model side.</summary>
public static class ModelsSiloBuilderExtensions
{
    /// <summary>
    /// Keeps the silo subscribed to the model registry grain (<see cref="ModelRegistrySubscription"/>), so its
    /// <see cref="ModelCache"/> (registered by the caller, with its <see cref="ModelCacheOptions"/>) hears of new
    /// current versions.
    /// </summary>
    public static ISiloBuilder AddModelRegistrySubscription(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ModelRegistrySubscription>();
        return silo;
    }
}

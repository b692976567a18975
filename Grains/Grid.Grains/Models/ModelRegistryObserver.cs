using Grid.Grains.Abstractions;

namespace Grid.Grains.Models;

/// <summary>This silo's <see cref="IModelRegistryObserver"/>: hands each notice to the silo's <see cref="ModelCache"/>.</summary>
internal sealed class ModelRegistryObserver(ModelCache cache) : IModelRegistryObserver
{
    /// <inheritdoc />
    public Task OnCurrentChangedAsync(uint version)
    {
        cache.NotifyCurrentChanged(version); // never blocks: the load runs in the background
        return Task.CompletedTask;
    }
}

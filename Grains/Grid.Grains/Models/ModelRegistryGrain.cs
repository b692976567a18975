using Grid.Grains.Abstractions;
using Grid.Storage.Models;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace Grid.Grains.Models;

/// <summary>
/// The model registry grain (<see cref="IModelRegistryGrain"/>, key 0): a thin actor over <see cref="ModelRegistry"/>
/// (Redis keeps the versions, the current one and the compare-and-set fence) that knows the silos' subscriptions
/// (<see cref="ObserverManager{TObserver}"/>) and tells them when the current version changes. It keeps nothing Redis
/// does not: an activation after its silo died starts with no subscribers and gets them back as the silos renew theirs.
/// </summary>
public sealed partial class ModelRegistryGrain : Grain, IModelRegistryGrain
{
    /// <summary>
    /// How long a subscription lasts without renewal. Silos renew every <see cref="ModelCacheOptions.ResubscribeInterval"/>
    /// (at most a third of this), so a live silo never lapses and a dead one is forgotten after this long.
    /// </summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(3);

    private readonly ModelRegistry _registry;
    private readonly ILogger<ModelRegistryGrain> _logger;
    private readonly ObserverManager<IModelRegistryObserver> _observers;

    /// <summary>Creates the grain.</summary>
    public ModelRegistryGrain(ModelRegistry registry, TimeProvider time, ILogger<ModelRegistryGrain> logger)
    {
        _registry = registry;
        _logger = logger;
        _observers = new ObserverManager<IModelRegistryObserver>(SubscriptionLifetime, logger)
        {
            GetDateTime = () => time.GetUtcNow().UtcDateTime,
        };
    }

    /// <inheritdoc />
    public async Task<ModelVersions> GetVersionsAsync()
    {
        Task<uint?> current = _registry.GetCurrentVersionAsync();
        IReadOnlyList<uint> versions = await _registry.ListVersionNumbersAsync();
        return new ModelVersions(await current, versions);
    }

    /// <inheritdoc />
    public async Task<ModelSwitchReply> SwitchCurrentAsync(uint expected, uint version)
    {
        if (!await _registry.SwitchCurrentAsync(expected, version))
        {
            uint? current = await _registry.GetCurrentVersionAsync();
            LogSwitchRefused(expected, version, current ?? 0);
            return new ModelSwitchReply(false, current);
        }
        await NotifyAsync(expected, version);
        return new ModelSwitchReply(true, version);
    }

    /// <inheritdoc />
    public async Task<ModelSwitchReply> RollbackAsync(uint version)
    {
        uint? previous = await _registry.GetCurrentVersionAsync();
        try
        {
            await _registry.SetCurrentAsync(version);
        }
        catch (ModelNotFoundException e)
        {
            return new ModelSwitchReply(false, previous, new GrainError(e.Code, e.Message));
        }
        await NotifyAsync(previous ?? 0, version);
        return new ModelSwitchReply(true, version);
    }

    /// <inheritdoc />
    public async Task<uint?> SubscribeAsync(IModelRegistryObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers.ClearExpired();
        _observers.Subscribe(observer, observer);
        return await _registry.GetCurrentVersionAsync();
    }

    /// <inheritdoc />
    public Task UnsubscribeAsync(IModelRegistryObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    private async Task NotifyAsync(uint previous, uint version)
    {
        // One-way calls: each completes at once, so a slow or dead silo holds up nothing; a lost notice is made good by
        // that silo's next renewal.
        await _observers.Notify(observer => observer.OnCurrentChangedAsync(version));
        LogSwitched(previous, version, _observers.Count);
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Current model switched from version {Previous} to {Version}; {Subscribers} silos told")]
    private partial void LogSwitched(uint previous, uint version, int subscribers);

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "Switch of the current model from version {Expected} to {Version} refused: version {Current} is current")]
    private partial void LogSwitchRefused(uint expected, uint version, uint current);
}

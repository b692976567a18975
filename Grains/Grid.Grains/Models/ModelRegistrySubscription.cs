using Grid.Grains.Abstractions;
using Microsoft.Extensions.Logging;

namespace Grid.Grains.Models;

/// <summary>
/// Keeps this silo subscribed to the model registry grain: once the silo is active it subscribes a grain observer
/// (<see cref="IGrainFactory.CreateObjectReference{TGrainObserverInterface}"/>) that hands notices of a new current
/// version to the <see cref="ModelCache"/>, and renews the subscription every
/// <see cref="ModelCacheOptions.ResubscribeInterval"/>. Each renewal answers the current version, so a silo whose
/// notice was lost, or whose subscription a new registry activation never knew, catches up then: there is no
/// separate poll. Unsubscribes when the silo stops.
/// </summary>
public sealed partial class ModelRegistrySubscription(
    ModelCache cache,
    IGrainFactory grains,
    ModelCacheOptions options,
    TimeProvider time,
    ILogger<ModelRegistrySubscription> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_unsubscribeTimeout = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopping = new();
    private ModelRegistryObserver? _observer; // Orleans holds observer objects weakly: this keeps it alive
    private IModelRegistryObserver? _reference;
    private Task _renewals = Task.CompletedTask;

    private IModelRegistryGrain Registry => grains.GetGrain<IModelRegistryGrain>(0);

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ModelRegistrySubscription), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _observer = new ModelRegistryObserver(cache);
        _reference = grains.CreateObjectReference<IModelRegistryObserver>(_observer);
        // Off the silo's start: the first subscription may have to wait for the registry grain's activation.
        _renewals = Task.Run(() => RenewAsync(_reference, _stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _renewals.ConfigureAwait(false);
        if (_reference is null)
        {
            return;
        }
        try
        {
            await Registry.UnsubscribeAsync(_reference).WaitAsync(s_unsubscribeTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The subscription lapses by itself (ModelRegistryGrain.SubscriptionLifetime).
            LogUnsubscribeFailed(e.Message);
        }
        grains.DeleteObjectReference<IModelRegistryObserver>(_reference);
    }

    private async Task RenewAsync(IModelRegistryObserver reference, CancellationToken stopping)
    {
        TimeSpan retry = s_firstRetry;
        bool subscribed = false;
        while (!stopping.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                uint? current = await Registry.SubscribeAsync(reference).WaitAsync(stopping).ConfigureAwait(false);
                if (current is { } version)
                {
                    cache.NotifyCurrentChanged(version);
                }
                if (!subscribed)
                {
                    LogSubscribed(current ?? 0, options.ResubscribeInterval.TotalSeconds);
                    subscribed = true;
                }
                wait = options.ResubscribeInterval;
                retry = s_firstRetry;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The registry grain is moving (its silo died) or Redis is away: try again soon.
                LogSubscribeFailed(e.Message, retry.TotalSeconds);
                wait = retry;
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, options.ResubscribeInterval.Ticks));
            }
            try
            {
                await Task.Delay(wait, time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Subscribed to the model registry grain (current version {Version}); renewing every {Seconds} s")]
    private partial void LogSubscribed(uint version, double seconds);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Subscribing to the model registry grain failed ({Reason}); retrying in {Seconds:0.##} s")]
    private partial void LogSubscribeFailed(string reason, double seconds);

    [LoggerMessage(EventId = 112, Level = LogLevel.Debug, Message = "Unsubscribing from the model registry grain failed ({Reason}); the subscription lapses by itself")]
    private partial void LogUnsubscribeFailed(string reason);
}

using Grid.Grains.Serving;

namespace Grid.Silo.Hosting;

/// <summary>
/// Graceful shutdown: when the host begins stopping, the silo turns not-ready (load balancers stop sending work),
/// refuses new codec work with 503, finishes what is queued, and only then lets the host stop.
/// </summary>
public sealed partial class DrainService(
    SiloState state,
    CodecBatcher codec,
    IHostApplicationLifetime lifetime,
    ILogger<DrainService> logger) : IHostedService
{
    private CancellationTokenRegistration _registration;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStopping.Register(() =>
        {
            state.BeginDraining();
            LogDraining(codec.QueueDepth);
            _ = codec.DrainAsync();
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _registration.DisposeAsync();
        state.BeginDraining();
        try
        {
            await codec.DrainAsync().WaitAsync(cancellationToken);
            LogDrained();
        }
        catch (OperationCanceledException)
        {
            LogDrainTimedOut(codec.QueueDepth);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Shutting down: not ready any more, draining {Queued} queued codec requests")]
    private partial void LogDraining(int queued);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Codec queue drained")]
    private partial void LogDrained();

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Shutdown timeout reached with {Queued} codec requests still queued")]
    private partial void LogDrainTimedOut(int queued);
}

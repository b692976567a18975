using Grid.Grains.Abstractions;

namespace Grid.Silo.Hosting;

/// <summary>
/// Once the silo has loaded its first model, makes sure the trainer grain exists and its reminder is registered (a
/// call to the grain; Orleans activates it on one silo of the cluster). Afterwards the reminder keeps it alive.
/// </summary>
public sealed partial class TrainerStarter(IGrainFactory grains, SiloState state, ILogger<TrainerStarter> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await state.Started.WaitAsync(stoppingToken);
            TimeSpan delay = TimeSpan.FromMilliseconds(500);
            while (true)
            {
                try
                {
                    await grains.GetGrain<ITrainerGrain>(0).NudgeAsync().WaitAsync(stoppingToken);
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Redis (the reminder table) or the cluster is not reachable yet: the trainer must not take the silo down.
                    LogRetrying(e.Message, delay.TotalSeconds);
                }
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping before the trainer was reached: another silo's starter, or the reminder, does it.
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Cannot reach the trainer grain yet ({Reason}); retrying in {Seconds:0.#} s")]
    private partial void LogRetrying(string reason, double seconds);
}

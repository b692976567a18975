using Grid.Grains.Training;

namespace Grid.Silo.Hosting;

/// <summary>
/// Hosts the training grain in every silo: once the silo has loaded its first model it competes for the trainer lease;
/// only the holder runs refresh cycles. On shutdown a running cycle is aborted (never published half-done) and the
/// lease released, so another silo takes over at once.
/// </summary>
public sealed class TrainerService(TrainerGrain trainer, SiloState state) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await state.Started.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await trainer.RunAsync(stoppingToken);
    }
}

using Grid.Training;

namespace Grid.Silo.Hosting;

/// <summary>
/// Runs the frame sampler's background writer: sampled frames queued by the stream path are cropped, compressed and
/// written to the training reservoir off the request threads.
/// </summary>
public sealed class ReservoirWriterService(FrameSampler sampler) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => sampler.RunAsync(stoppingToken);
}

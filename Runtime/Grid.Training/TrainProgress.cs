using Grid.Native;

namespace Grid.Training;

/// <summary>A snapshot after a training step, for live displays.</summary>
public sealed record TrainProgress(
    long Step,
    long TotalSteps,
    TimeSpan Elapsed,
    TimeSpan Remaining,
    float LearningRate,
    StepResult Last,
    double ImagesPerSecond,
    ValidationResult? Validation)
{
    /// <summary>PSNR of the last batch's reconstruction in dB (from its MSE in pixel/255 units).</summary>
    public double BatchPsnr => Last.Mse > 0 ? 10 * Math.Log10(1 / Last.Mse) : 100;
}

/// <summary>What a finished (or interrupted) run produced.</summary>
public sealed record TrainResult(string OutputDirectory, long Steps, bool Completed, ValidationResult? Validation, TimeSpan Elapsed, double ImagesPerSecond);

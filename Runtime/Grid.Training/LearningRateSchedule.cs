namespace Grid.Training;

/// <summary>Linear warm-up to the peak rate, then cosine decay to a floor at the last step.</summary>
public sealed record LearningRateSchedule(float Peak, int WarmupSteps, long TotalSteps, float MinFraction)
{
    /// <summary>Rate for step <paramref name="step"/> (1-based).</summary>
    public float At(long step)
    {
        if (WarmupSteps > 0 && step <= WarmupSteps)
        {
            return Peak * step / WarmupSteps;
        }
        long decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        double progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * progress));
        return (float)(Peak * (MinFraction + ((1 - MinFraction) * cosine)));
    }
}

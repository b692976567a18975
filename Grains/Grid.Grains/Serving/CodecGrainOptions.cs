namespace Grid.Grains.Serving;

/// <summary>How a <see cref="CodecBatcher"/> batches and bounds its work.</summary>
public sealed record CodecGrainOptions
{
    /// <summary>The device the grain's models run on ("cpu" or "cuda:N"); names its thread and metrics.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Most items one batch takes.</summary>
    public int MaxBatch { get; init; } = 16;

    /// <summary>Longest a batch waits for more items after its first one arrived.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Most items waiting in the queue; one more is refused with <see cref="QueueFullException"/>.</summary>
    public int MaxQueue { get; init; } = 256;

    /// <summary>Largest image side a frame may declare to be decoded (a frame's pixels are allocated in full).</summary>
    public int MaxImageSide { get; init; } = 8192;
}

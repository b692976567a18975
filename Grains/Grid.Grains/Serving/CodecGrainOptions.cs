namespace Grid.Grains.Serving;

/// <summary>How a <see cref="CodecBatcher"/> batches and bounds its work.</summary>
public sealed record CodecGrainOptions
{
    /// <summary>The device the grain's models run on ("cpu" or "cuda:N"); names its thread and metrics.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// Batches run at the same time, each by a thread of its own on a copy of the model (at most the model cache's
    /// <see cref="Models.ModelCacheOptions.Lanes"/>). On a CPU, lanes of one libtorch thread each keep every core busy
    /// without OpenMP barriers between them, which a core taken by request handling would stall.
    /// </summary>
    public int Lanes { get; init; } = 1;

    /// <summary>Most items one batch takes.</summary>
    public int MaxBatch { get; init; } = 16;

    /// <summary>Longest a batch waits for more items after its first one arrived.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Most items waiting in the queue; one more is refused with <see cref="QueueFullException"/>.</summary>
    public int MaxQueue { get; init; } = 256;

    /// <summary>Largest image side a frame may declare to be decoded (a frame's pixels are allocated in full).</summary>
    public int MaxImageSide { get; init; } = 8192;
}

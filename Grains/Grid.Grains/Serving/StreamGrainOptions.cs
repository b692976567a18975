namespace Grid.Grains.Serving;

/// <summary>How stream grains validate frames and how long idle ones stay cached.</summary>
public sealed record StreamGrainOptions
{
    /// <summary>A grain unused this long (and with no append in progress) is dropped; the next request creates a new one.</summary>
    public TimeSpan IdleExpiry { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest image side an appended VQF frame may declare (so every stored frame stays decodable here).</summary>
    public int MaxImageSide { get; init; } = 8192;
}

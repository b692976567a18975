namespace Grid.Grains.Imaging;

/// <summary>
/// The largest image a decoder accepts. Headers are checked against it before any pixel memory is allocated,
/// so a hostile file claiming a huge size costs nothing.
/// </summary>
/// <param name="MaxWidth">Largest accepted width in pixels (default 8192).</param>
/// <param name="MaxHeight">Largest accepted height in pixels (default 8192).</param>
public sealed record ImageLimits(int MaxWidth = 8192, int MaxHeight = 8192)
{
    /// <summary>8192 x 8192.</summary>
    public static ImageLimits Default { get; } = new();

    /// <summary>Largest accepted width in pixels.</summary>
    public int MaxWidth { get; init; } = MaxWidth > 0
        ? MaxWidth
        : throw new ArgumentOutOfRangeException(nameof(MaxWidth), MaxWidth, "the width limit must be positive");

    /// <summary>Largest accepted height in pixels.</summary>
    public int MaxHeight { get; init; } = MaxHeight > 0
        ? MaxHeight
        : throw new ArgumentOutOfRangeException(nameof(MaxHeight), MaxHeight, "the height limit must be positive");
}

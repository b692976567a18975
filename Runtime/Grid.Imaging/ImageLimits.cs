namespace Grid.Imaging;

/// <summary>
/// The largest image a decoder accepts. Headers are checked against it before any pixel memory is allocated,
/// so a hostile file claiming a huge size costs nothing.
/// </summary>
/// <param name="MaxWidth">Largest accepted width in pixels (default 8192).</param>
/// <param name="MaxHeight">Largest accepted height in pixels (default 8192).</param>
public sealed record ImageLimits(int MaxWidth = 8192, int MaxHeight = 8192)
{
    private readonly int _maxWidth = Positive(MaxWidth, nameof(MaxWidth));
    private readonly int _maxHeight = Positive(MaxHeight, nameof(MaxHeight));

    /// <summary>8192 x 8192.</summary>
    public static ImageLimits Default { get; } = new();

    /// <summary>Largest accepted width in pixels.</summary>
    public int MaxWidth
    {
        get => _maxWidth;
        init => _maxWidth = Positive(value, nameof(MaxWidth));
    }

    /// <summary>Largest accepted height in pixels.</summary>
    public int MaxHeight
    {
        get => _maxHeight;
        init => _maxHeight = Positive(value, nameof(MaxHeight));
    }

    private static int Positive(int value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, "an image size limit must be positive");
}

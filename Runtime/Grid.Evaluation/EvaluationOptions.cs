namespace Grid.Evaluation;

/// <summary>Which classic codecs <see cref="Evaluator"/> measures at Grid's rate, besides Grid itself.</summary>
public sealed record EvaluationOptions
{
    /// <summary>JPEG (TurboJPEG, 4:2:0) at the highest quality not above Grid's bytes (default on).</summary>
    public bool Jpeg { get; init; } = true;

    /// <summary>Lossy WebP (cwebp -m 6) at the highest quality not above Grid's bytes (default off: needs cwebp).</summary>
    public bool Webp { get; init; }

    /// <summary>Where cwebp and dwebp are (default: PATH).</summary>
    public WebpTools WebpTools { get; init; } = WebpTools.Default;
}

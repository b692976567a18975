using Grid.Contracts.Frames;

namespace Grid.Grains.Streams;

/// <summary>
/// How stream grains store frames (section <c>Grid:Streams</c>, per silo: a stream is coded the way the silo hosting
/// its grain says; docs/entropy-coding.md, "Streams").
/// </summary>
public sealed record StreamCodingOptions
{
    /// <summary>Most frames a key frame interval may span (and how far back a reader walks to find a key frame).</summary>
    public const int MaxKeyFrameEvery = 1000;

    /// <summary>
    /// <see cref="FrameCoding.Learned"/> (default): VQF v2, learned coding with the model version's prior, baseline
    /// coding for a version without one; <see cref="FrameCoding.Baseline"/>: VQF v2, always the baseline coder;
    /// <see cref="FrameCoding.Fixed"/>: VQF v1 as encoded, fixed rate, every frame self-contained.
    /// </summary>
    public FrameCoding Coding { get; init; } = FrameCoding.Learned;

    /// <summary>A key frame (spatial context only) at least every this many frames (default 30, at most <see cref="MaxKeyFrameEvery"/>).</summary>
    public int KeyFrameEvery { get; init; } = 30;

    /// <summary>The problems of these settings (empty when valid), each naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        List<string> errors = [];
        if (Coding is not (FrameCoding.Fixed or FrameCoding.Baseline or FrameCoding.Learned))
        {
            errors.Add($"Streams:Coding is {Coding}; it must be Fixed, Baseline or Learned");
        }
        if (KeyFrameEvery is < 1 or > MaxKeyFrameEvery)
        {
            errors.Add($"Streams:KeyFrameEvery is {KeyFrameEvery}; it must be 1 to {MaxKeyFrameEvery}");
        }
        return errors;
    }
}

using Grid.Imaging;

namespace Grid.Training;

/// <summary>One sampled frame as the reservoir holds it (a crop of at most <see cref="TrainerOptions.SampleSide"/> per side).</summary>
/// <param name="Stream">The stream's directory member, <c>&lt;tenant&gt;/&lt;stream&gt;</c>.</param>
/// <param name="Sequence">The frame's sequence number in its stream.</param>
/// <param name="Sampled">When the frame was sampled.</param>
/// <param name="Png">The pixels as PNG (decoded by the refresh, on the trainer's thread).</param>
public sealed record ReservoirSample(string Stream, long Sequence, DateTimeOffset Sampled, byte[] Png)
{
    /// <summary>Decodes the PNG.</summary>
    /// <exception cref="ImageFormatException">The stored bytes are not a valid PNG.</exception>
    public RgbImage Decode() => Imaging.Png.Decode(Png);
}

/// <summary>What one refresh cycle reads from the reservoir.</summary>
/// <param name="Train">Training samples, drawn equally from the streams.</param>
/// <param name="HeldOut">Held-out samples for the evaluation, drawn equally from the streams.</param>
/// <param name="Streams">Streams with samples in the reservoir.</param>
/// <param name="SampledTotal">The reservoir's all-time sample count when read (<c>grid:train:sampled</c>).</param>
public sealed record ReservoirSnapshot(IReadOnlyList<ReservoirSample> Train, IReadOnlyList<ReservoirSample> HeldOut, int Streams, long SampledTotal)
{
    /// <summary>Streams that contributed at least one sample.</summary>
    public int ContributingStreams => Train.Concat(HeldOut).Select(s => s.Stream).Distinct(StringComparer.Ordinal).Count();

    /// <summary>The earliest sample time read; null when empty.</summary>
    public DateTimeOffset? FirstSample => Train.Concat(HeldOut).Select(s => (DateTimeOffset?)s.Sampled).Min();

    /// <summary>The latest sample time read; null when empty.</summary>
    public DateTimeOffset? LastSample => Train.Concat(HeldOut).Select(s => (DateTimeOffset?)s.Sampled).Max();
}

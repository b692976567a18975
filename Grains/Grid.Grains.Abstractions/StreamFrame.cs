namespace Grid.Grains.Abstractions;

/// <summary>A frame to append to a stream.</summary>
/// <param name="Sequence">The client's sequence number; null for the stream's last one + 1.</param>
/// <param name="ModelVersion">The model version that encoded it.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="Frame">The VQF bytes (validated by the caller).</param>
[GenerateSerializer, Immutable]
public sealed record StreamFrame(
    [property: Id(0)] long? Sequence,
    [property: Id(1)] uint ModelVersion,
    [property: Id(2)] int Width,
    [property: Id(3)] int Height,
    [property: Id(4)] byte[] Frame);

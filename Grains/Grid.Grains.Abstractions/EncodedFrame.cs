namespace Grid.Grains.Abstractions;

/// <summary>An encoded VQF frame and the model version that encoded it.</summary>
/// <param name="Frame">The frame bytes.</param>
/// <param name="ModelVersion">The model version written in the frame.</param>
[GenerateSerializer, Immutable]
public sealed record EncodedFrame([property: Id(0)] byte[] Frame, [property: Id(1)] uint ModelVersion);

namespace Grid.Grains.Serving;

/// <summary>An encoded frame and the model version that encoded it.</summary>
/// <param name="Frame">The VQF frame bytes.</param>
/// <param name="ModelVersion">The model version written in the frame.</param>
public sealed record EncodeResult(byte[] Frame, uint ModelVersion);

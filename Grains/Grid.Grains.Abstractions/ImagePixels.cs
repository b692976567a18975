namespace Grid.Grains.Abstractions;

/// <summary>An RGB image (8 bits per channel, rows top to bottom) as grain calls carry it, never copied.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Rgb">Width x Height x 3 bytes.</param>
[GenerateSerializer, Immutable]
public sealed record ImagePixels([property: Id(0)] int Width, [property: Id(1)] int Height, [property: Id(2)] byte[] Rgb);

using Grid.Imaging;

namespace Grid.Silo.Tests;

/// <summary>Deterministic test images.</summary>
internal static class TestImages
{
    /// <summary>A smooth colour pattern (varied enough to use many codes), distinct per <paramref name="seed"/>.</summary>
    public static RgbImage Pattern(int width, int height, int seed = 0)
    {
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
        {
            Span<byte> row = image.Row(y);
            for (int x = 0; x < width; x++)
            {
                row[x * 3] = (byte)((x * 7) + (seed * 31));
                row[(x * 3) + 1] = (byte)((y * 5) + (seed * 17));
                row[(x * 3) + 2] = (byte)(((x + y) * 3) ^ (seed * 11));
            }
        }
        return image;
    }

    /// <summary>The pattern as PNG bytes.</summary>
    public static byte[] Png(int width, int height, int seed = 0) => Grid.Imaging.Png.Encode(Pattern(width, height, seed));
}

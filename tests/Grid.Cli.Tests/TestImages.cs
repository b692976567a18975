using Grid.Imaging;

namespace Grid.Cli.Tests;

/// <summary>Real image files generated for a test.</summary>
internal static class TestImages
{
    /// <summary>Writes <paramref name="count"/> PNG files (gradients that differ per file) named 000.png, 001.png, ...</summary>
    internal static IReadOnlyList<string> WritePngFolder(string directory, int count, int width = 32, int height = 24)
    {
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string path = Path.Combine(directory, $"{i:D3}.png");
            File.WriteAllBytes(path, Png(width, height, i));
            files.Add(path);
        }
        return files;
    }

    internal static byte[] Png(int width, int height, int seed)
    {
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
        {
            Span<byte> row = image.Row(y);
            for (int x = 0; x < width; x++)
            {
                row[x * 3] = (byte)(x * 8 + seed * 40);
                row[x * 3 + 1] = (byte)(y * 10);
                row[x * 3 + 2] = (byte)(seed * 70);
            }
        }
        return ImageFile.Encode(image, ImageFileFormat.Png);
    }
}

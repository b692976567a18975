using Grid.Codec;
using Grid.Imaging;
using Grid.Native;
using Grid.Runtime.Tests.Native;

namespace Grid.Runtime.Tests.Codec;

/// <summary>Tiny model directories and natural-looking images for codec, training and evaluation tests.</summary>
internal static class CodecTestData
{
    /// <summary>A tiny model with the full 512-entry codebook, so frames use 9 bits per index as in production.</summary>
    public static readonly ModelConfig TinyFullCodebook = new(16, 8, 1, 8, 512);

    /// <summary>Writes a model directory of a freshly initialised model and returns its path.</summary>
    public static string CreateModelDirectory(string root, uint version = 1, ulong seed = 1, ModelConfig? config = null)
    {
        NativeTestData.EnsureRuntime();
        using NativeModel model = NativeModel.Create(config ?? TinyFullCodebook, "cpu", seed);
        byte[] weights = model.Save();
        string directory = Path.Combine(root, $"model-v{version}-s{seed}");
        ModelDirectory.Write(directory, ModelDirectory.CardFor(model, weights, version), weights);
        return directory;
    }

    /// <summary>A smooth image with texture of any size (sides need not be multiples of 4).</summary>
    public static RgbImage Image(int width, int height, int seed = 3)
    {
        var random = new Random(seed);
        var image = new RgbImage(width, height);
        int phase = random.Next(64);
        for (int y = 0; y < height; y++)
        {
            Span<byte> row = image.Row(y);
            for (int x = 0; x < width; x++)
            {
                row[x * 3] = (byte)Math.Clamp(((x + phase) * 255 / Math.Max(1, width)) + random.Next(-6, 7), 0, 255);
                row[(x * 3) + 1] = (byte)Math.Clamp((y * 255 / Math.Max(1, height)) + random.Next(-6, 7), 0, 255);
                row[(x * 3) + 2] = (byte)(((x / 5) + (y / 7) + seed) % 2 == 0 ? 200 : 40);
            }
        }
        return image;
    }

    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "grid-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }
}

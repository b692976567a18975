using Grid.Codec;
using Grid.Imaging;
using Grid.Native;

namespace Grid.Cli.Tests;

/// <summary>Tiny random models and generated pictures for CLI tests.</summary>
internal static class CliTestData
{
    /// <summary>Writes a freshly initialised tiny model (full 512-code book, so 9-bit frames) into root/name.</summary>
    public static string CreateModel(string root, string name, uint version, ulong seed)
    {
        using NativeModel model = NativeModel.Create(new ModelConfig(16, 8, 1, 8, 512), "cpu", seed);
        byte[] weights = model.Save();
        string directory = Path.Combine(root, name);
        ModelDirectory.Write(directory, ModelDirectory.CardFor(model, weights, version), weights);
        return directory;
    }

    /// <summary>A horizontal ramp (wrapping every 85 px) with noise.</summary>
    public static RgbImage Picture(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new RgbImage(width, height);
        for (int i = 0; i < image.Pixels.Length; i++)
        {
            image.Pixels[i] = (byte)(((i / 3 % width) * 3) + random.Next(20));
        }
        return image;
    }
}

using Grid.Imaging;
using Grid.Native;
using Grid.Training;
using Grid.TestSupport;

namespace Grid.Runtime.Tests.Training;

/// <summary>
/// Two kinds of content for refresh tests: smooth colour gradients (what the small model is trained on) and grayscale
/// test charts — sharp rings, checkers and bars, like the ViSP "mire" sequence — that it never saw.
/// </summary>
internal static class RefreshContent
{
    /// <summary>The small architecture of these tests (fast on the CPU; 128 codes of 8 floats).</summary>
    public static readonly ModelConfig Config = new(16, 8, 1, 8, 128);

    /// <summary>A smooth colour gradient, distinct per <paramref name="seed"/>.</summary>
    public static RgbImage Colour(int width, int height, int seed)
    {
        var image = new RgbImage(width, height);
        double a = 0.5 + (seed % 7 * 0.3), b = 0.3 + (seed % 5 * 0.2);
        for (int y = 0; y < height; y++)
        {
            Span<byte> row = image.Row(y);
            for (int x = 0; x < width; x++)
            {
                row[x * 3] = (byte)(128 + (100 * Math.Sin((x * a / 20) + seed)));
                row[(x * 3) + 1] = (byte)(128 + (100 * Math.Cos((y * b / 16) + seed)));
                row[(x * 3) + 2] = (byte)(128 + (90 * Math.Sin(((x + y) * (a + b) / 40) - seed)));
            }
        }
        return image;
    }

    /// <summary>A grayscale test chart with hard edges, distinct per <paramref name="seed"/> (a "frame" of a chart sequence).</summary>
    public static RgbImage Chart(int width, int height, int seed)
    {
        var image = new RgbImage(width, height);
        double cx = width * (0.3 + (0.05 * (seed % 9))), cy = height * (0.4 + (0.04 * (seed % 7)));
        int cell = 8 + (2 * (seed % 5));
        for (int y = 0; y < height; y++)
        {
            Span<byte> row = image.Row(y);
            for (int x = 0; x < width; x++)
            {
                double r = Math.Sqrt(((x - cx) * (x - cx)) + ((y - cy) * (y - cy)));
                byte value;
                if (x < width / 3)
                {
                    value = (byte)((((x + seed) / cell) + (y / cell)) % 2 == 0 ? 230 : 25); // checkers
                }
                else if (y < height / 4)
                {
                    value = (byte)(((x + (seed * 3)) / (4 + (x / 24))) % 2 == 0 ? 240 : 15); // bars of growing width
                }
                else
                {
                    value = (byte)(Math.Sin(r / (3.0 + (seed % 3))) > 0 ? 220 : 35); // rings
                }
                row[x * 3] = row[(x * 3) + 1] = row[(x * 3) + 2] = value;
            }
        }
        return image;
    }

    /// <summary>
    /// Trains a small model of <paramref name="version"/> on colour gradients only (a few hundred steps: seconds) and
    /// writes it as a model directory under a new temporary directory; returns that directory.
    /// </summary>
    public static string TrainColourModel(uint version, int steps = 300)
    {
        string root = TestPaths.CreateTempDirectory("grid-refresh-model");
        string data = Path.Combine(root, "data");
        Directory.CreateDirectory(data);
        for (int i = 0; i < 12; i++)
        {
            ImageFile.Write(Path.Combine(data, $"c{i}.png"), Colour(64, 64, i));
        }
        string output = Path.Combine(root, "model");
        new TrainingRun(new TrainOptions
        {
            TrainDirectories = [data],
            OutputDirectory = output,
            Steps = steps,
            Batch = 8,
            Crop = 32,
            Seed = 7,
            LearningRate = 2e-3f,
            WarmupSteps = 20,
            Model = Config,
            ValidateEvery = steps,
            CheckpointEvery = steps,
            KMeansBatches = 2,
            Version = version,
        }, _ => { }, _ => { }).Run(CancellationToken.None);
        return output;
    }
}

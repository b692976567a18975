using Grid.Imaging;
using Grid.Runtime.Tests.Codec;
using Grid.Training;

namespace Grid.Runtime.Tests.Training;

public sealed class TrainingPiecesTests
{
    [Fact]
    public void StepRandomIsAPureFunctionOfSeedAndStream()
    {
        var a = new StepRandom(5, 17);
        var b = new StepRandom(5, 17);
        var other = new StepRandom(5, 18);
        ulong[] first = Enumerable.Range(0, 8).Select(_ => a.NextUInt64()).ToArray();

        Assert.Equal(first, Enumerable.Range(0, 8).Select(_ => b.NextUInt64()).ToArray());
        Assert.NotEqual(first, Enumerable.Range(0, 8).Select(_ => other.NextUInt64()).ToArray());
    }

    [Fact]
    public void StepRandomBoundsAreRespectedAndCovered()
    {
        var random = new StepRandom(1, 1);
        int[] seen = new int[7];
        for (int i = 0; i < 7000; i++)
        {
            seen[random.Next(7)]++;
        }
        Assert.All(seen, count => Assert.InRange(count, 800, 1200));
    }

    [Fact]
    public void LearningRateWarmsUpLinearlyThenDecaysToTheFloor()
    {
        var schedule = new LearningRateSchedule(1e-3f, WarmupSteps: 10, TotalSteps: 110, MinFraction: 0.1f);

        Assert.Equal(1e-4f, schedule.At(1), 6);
        Assert.Equal(1e-3f, schedule.At(10), 6);
        Assert.Equal(0.55e-3f, schedule.At(60), 5);
        Assert.Equal(1e-4f, schedule.At(110), 6);
        for (long step = 11; step < 110; step++)
        {
            Assert.True(schedule.At(step + 1) <= schedule.At(step));
        }
    }

    [Fact]
    public void BatchesAreDeterministicPerStepAndCropsComeFromTheImages()
    {
        RgbImage image = CodecTestData.Image(40, 30);
        var images = new TrainingImages([image], ["a"]);
        byte[] first = new byte[4 * 16 * 16 * 3];
        byte[] again = new byte[first.Length];
        byte[] next = new byte[first.Length];

        images.FillBatch(seed: 9, step: 3, count: 4, crop: 16, first);
        images.FillBatch(seed: 9, step: 3, count: 4, crop: 16, again);
        images.FillBatch(seed: 9, step: 4, count: 4, crop: 16, next);

        Assert.Equal(first, again);
        Assert.NotEqual(first, next);
        // Every crop row is a row segment of the image, read forwards or mirrored.
        for (int c = 0; c < 4; c++)
        {
            byte[] row = first.AsSpan(c * 16 * 16 * 3, 16 * 3).ToArray();
            Assert.True(IsSegmentOfSomeRow(image, row) || IsSegmentOfSomeRow(image.FlipHorizontal(), row));
        }
    }

    [Fact]
    public void ImagesSmallerThanTheCropAreEdgePadded()
    {
        var images = new TrainingImages([CodecTestData.Image(5, 3)], ["small"]);
        byte[] batch = new byte[8 * 8 * 3];

        images.FillBatch(1, 1, 1, 8, batch);

        // The last row repeats row 2 of the image (possibly mirrored); the right edge repeats its last column.
        Assert.Equal(batch.AsSpan(2 * 8 * 3, 8 * 3).ToArray(), batch.AsSpan(7 * 8 * 3, 8 * 3).ToArray());
    }

    [Fact]
    public void PixelVarianceMatchesADirectComputation()
    {
        RgbImage image = CodecTestData.Image(20, 10);
        double mean = image.Pixels.Average(b => b / 255.0);
        double expected = image.Pixels.Average(b => Math.Pow((b / 255.0) - mean, 2));

        Assert.Equal(expected, new TrainingImages([image], ["x"]).PixelVariance(), 9);
    }

    [Fact]
    public void OptionsListEveryProblem()
    {
        var options = new TrainOptions { TrainDirectories = [], OutputDirectory = "x", Batch = 0, Crop = 10, LearningRate = -1 };

        IReadOnlyList<string> errors = options.Validate();

        Assert.Contains(errors, e => e.Contains("training data", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("--steps", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("--batch", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("--crop", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("--lr", StringComparison.Ordinal));
    }

    private static bool IsSegmentOfSomeRow(RgbImage image, byte[] segment)
    {
        for (int y = 0; y < image.Height; y++)
        {
            if (image.Row(y).IndexOf(segment) >= 0)
            {
                return true;
            }
        }
        return false;
    }
}

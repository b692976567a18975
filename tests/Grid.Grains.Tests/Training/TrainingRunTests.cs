using Grid.Grains.Codec;
using Grid.Grains.Imaging;
using Grid.Grains.Native;
using Grid.Grains.Tests.Codec;
using Grid.Grains.Tests.Native;
using Grid.Grains.Training;

namespace Grid.Grains.Tests.Training;

public sealed class TrainingRunTests : IDisposable
{
    private static readonly ModelConfig s_tiny = new(16, 8, 1, 8, 32);
    private readonly string _root = CodecTestData.TempDirectory();

    public TrainingRunTests()
    {
        NativeTestData.EnsureRuntime();
        Directory.CreateDirectory(Path.Combine(_root, "data", "train"));
        Directory.CreateDirectory(Path.Combine(_root, "data", "val"));
        for (int i = 0; i < 4; i++)
        {
            ImageFile.Write(Path.Combine(_root, "data", "train", $"t{i}.png"), CodecTestData.Image(48 + (i * 8), 40, seed: i));
        }
        ImageFile.Write(Path.Combine(_root, "data", "val", "v.png"), CodecTestData.Image(44, 36, seed: 99));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private TrainOptions Options(string output, long steps) => new()
    {
        TrainDirectories = [Path.Combine(_root, "data", "train")],
        ValidationDirectories = [Path.Combine(_root, "data", "val")],
        OutputDirectory = Path.Combine(_root, output),
        Steps = steps,
        Batch = 4,
        Crop = 16,
        Seed = 3,
        LearningRate = 2e-3f,
        WarmupSteps = 5,
        Model = s_tiny,
        ValidateEvery = 10,
        CheckpointEvery = 10,
        KMeansBatches = 2,
        Version = 5,
    };

    private static TrainResult Run(TrainOptions options, List<TrainProgress>? progress = null, CancellationToken cancellationToken = default) =>
        new TrainingRun(options, _ => { }, p => progress?.Add(p)).Run(cancellationToken);

    [Fact]
    public void ARunWritesAModelCardCheckpointsAndALogAndLowersTheLoss()
    {
        var progress = new List<TrainProgress>();
        TrainResult result = Run(Options("out", 60), progress);

        Assert.True(result.Completed);
        Assert.Equal(60, result.Steps);
        Assert.True(progress.TakeLast(10).Average(p => p.Last.Mse) < progress.Take(10).Average(p => p.Last.Mse));
        (ModelCard card, _) = ModelDirectory.Read(Path.Combine(_root, "out"));
        Assert.Equal(5u, card.Version);
        Assert.Equal(60, card.Training!.Steps);
        Assert.True(card.Training.KMeansInit);
        Assert.NotNull(card.Validation);
        Assert.Equal(1, card.Validation!.Images);
        Assert.InRange(card.Validation.CodesUsed, 1, 32);
        string[] log = File.ReadAllLines(Path.Combine(_root, "out", TrainingRun.LogFile));
        Assert.Equal(61, log.Length);
        Assert.StartsWith("step,", log[0], StringComparison.Ordinal);
        Assert.NotNull(Checkpoint.Latest(Path.Combine(_root, "out")));
    }

    [Fact]
    public void AResumedRunEndsBitIdenticalToAnUninterruptedOne()
    {
        Run(Options("straight", 30));
        using (var cancellation = new CancellationTokenSource())
        {
            // Interrupted between checkpoints, as Ctrl+C would: the saved state is that of step 17.
            TrainResult interrupted = new TrainingRun(Options("resumed", 30), _ => { }, p =>
            {
                if (p.Step == 17)
                {
                    cancellation.Cancel();
                }
            }).Run(cancellation.Token);
            Assert.False(interrupted.Completed);
        }
        TrainResult resumed = Run(Options("resumed", 30) with { Resume = true, Steps = null });

        Assert.True(resumed.Completed);
        byte[] straight = File.ReadAllBytes(Path.Combine(_root, "straight", ModelDirectory.WeightsFile));
        byte[] continued = File.ReadAllBytes(Path.Combine(_root, "resumed", ModelDirectory.WeightsFile));
        Assert.Equal(straight, continued);
    }

    [Fact]
    public void CancellingSavesACheckpointToResumeFrom()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new List<TrainProgress>();
        TrainResult result = new TrainingRun(Options("cancelled", 1000), _ => { }, p =>
        {
            progress.Add(p);
            if (p.Step == 7)
            {
                cancellation.Cancel();
            }
        }).Run(cancellation.Token);

        Assert.False(result.Completed);
        Assert.Equal(7, result.Steps);
        string latest = Checkpoint.Latest(Path.Combine(_root, "cancelled"))!;
        Assert.Equal(7, Checkpoint.Read(latest).Step);
        Assert.False(File.Exists(Path.Combine(_root, "cancelled", ModelDirectory.CardFile)));
    }

    [Fact]
    public void ResumeWithoutACheckpointSaysSo()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => Run(Options("empty", 10) with { Resume = true }));

        Assert.Contains("no checkpoint", error.Message, StringComparison.Ordinal);
    }
}

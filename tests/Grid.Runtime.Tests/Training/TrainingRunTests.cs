using Grid.Codec;
using Grid.Imaging;
using Grid.Native;
using Grid.Runtime.Tests.Codec;
using Grid.Runtime.Tests.Native;
using Grid.Training;

namespace Grid.Runtime.Tests.Training;

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

    private string CopyOfTrainingImages(string folder)
    {
        string copy = Path.Combine(_root, folder);
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(Path.Combine(_root, "data", "train")))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        return copy;
    }

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
    public void InitStartsFromTheModelsWeightsAndArchitectureAndRecordsIt()
    {
        var trained = new List<TrainProgress>();
        Run(Options("base", 40), trained);
        (ModelCard baseCard, byte[] baseWeights) = ModelDirectory.Read(Path.Combine(_root, "base"));
        var fromScratch = new List<TrainProgress>();
        var fineTuned = new List<TrainProgress>();
        Run(Options("scratch", 1) with { Seed = 4 }, fromScratch);

        // A different architecture in the options: the starting model's wins.
        TrainOptions options = Options("tuned", 1) with { Seed = 4, InitFrom = Path.Combine(_root, "base"), Model = new ModelConfig(24, 8, 1, 8, 32) };
        TrainResult result = Run(options, fineTuned);

        Assert.True(result.Completed);
        (ModelCard card, byte[] weights) = ModelDirectory.Read(Path.Combine(_root, "tuned"));
        Assert.Equal(s_tiny, card.Config);
        Assert.False(card.Training!.KMeansInit);
        Assert.Equal(new InitialModel(Path.GetFullPath(Path.Combine(_root, "base")), baseCard.Fingerprint, 5, 40), card.Training.InitialisedFrom);
        Assert.NotEqual(baseWeights, weights);
        // The first step of the fine-tune already reconstructs like the end of the 40-step run, better than a fresh model.
        float first = fineTuned[0].Last.Mse;
        Assert.True(first < fromScratch[0].Last.Mse, $"{first} vs {fromScratch[0].Last.Mse} from scratch");
        Assert.True(first < 1.5 * trained.TakeLast(10).Max(p => p.Last.Mse), $"{first} vs the base run's last steps");
    }

    [Fact]
    public void AnInitRunResumedKeepsItsOriginInTheCard()
    {
        Run(Options("base", 20));
        using (var cancellation = new CancellationTokenSource())
        {
            new TrainingRun(Options("tuned", 20) with { InitFrom = Path.Combine(_root, "base") }, _ => { }, p =>
            {
                if (p.Step == 5)
                {
                    cancellation.Cancel();
                }
            }).Run(cancellation.Token);
        }
        Run(Options("tuned", 20) with { Resume = true, Steps = null });

        (ModelCard card, _) = ModelDirectory.Read(Path.Combine(_root, "tuned"));
        Assert.Equal(20, card.Training!.InitialisedFrom!.Steps);
    }

    [Fact]
    public void InitAndResumeTogetherAreRefused()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Run(Options("both", 10) with { Resume = true, InitFrom = _root }));

        Assert.Contains("--init", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResumeOnOtherImagesIsRefusedAndTheCheckpointKept()
    {
        Run(Options("stopped", 10));
        string changed = CopyOfTrainingImages("changed");
        ImageFile.Write(Path.Combine(changed, "t1.png"), CodecTestData.Image(56, 40, seed: 42)); // same size, other pixels

        ArgumentException error = Assert.Throws<ArgumentException>(() =>
            Run(Options("stopped", 20) with { Resume = true, TrainDirectories = [changed] }));

        Assert.Contains("other contents", error.Message, StringComparison.Ordinal);
        Assert.Contains(Checkpoint.Read(Checkpoint.Latest(Path.Combine(_root, "stopped"))!).DataFingerprint!, error.Message, StringComparison.Ordinal);
        Assert.Equal(10, Checkpoint.Read(Checkpoint.Latest(Path.Combine(_root, "stopped"))!).Step);
    }

    [Fact]
    public void ResumeOnTheSameImagesMovedElsewhereContinues()
    {
        Run(Options("moved", 10));
        string moved = CopyOfTrainingImages("elsewhere");

        TrainResult resumed = Run(Options("moved", 10) with { Resume = true, Steps = 15, TrainDirectories = [moved] });

        Assert.True(resumed.Completed);
        (ModelCard card, _) = ModelDirectory.Read(Path.Combine(_root, "moved"));
        Assert.Equal(15, card.Training!.Steps);
        Assert.Equal(Checkpoint.Read(Checkpoint.Latest(Path.Combine(_root, "moved"))!).DataFingerprint, card.Training.DataFingerprint);
        Assert.Matches("^[0-9a-f]{16}$", card.Training.DataFingerprint!);
    }

    [Fact]
    public void FreezingEncoderAndCodebookKeepsEveryIndexAndTrainsTheDecoderAlsoAcrossAResume()
    {
        Run(Options("base", 20));
        TrainOptions options = Options("decoder", 20) with { InitFrom = Path.Combine(_root, "base"), Frozen = [ModelPart.Codebook, ModelPart.Encoder] };
        using (var cancellation = new CancellationTokenSource())
        {
            new TrainingRun(options, _ => { }, p =>
            {
                if (p.Step == 8)
                {
                    cancellation.Cancel();
                }
            }).Run(cancellation.Token);
        }
        TrainResult result = Run(Options("decoder", 20) with { Resume = true, Steps = null });

        Assert.True(result.Completed);
        (ModelCard baseCard, byte[] baseWeights) = ModelDirectory.Read(Path.Combine(_root, "base"));
        (ModelCard card, byte[] weights) = ModelDirectory.Read(Path.Combine(_root, "decoder"));
        Assert.Equal([ModelPart.Encoder, ModelPart.Codebook], card.Training!.Frozen);
        using NativeModel before = NativeModel.Load(baseWeights);
        using NativeModel after = NativeModel.Load(weights);
        Assert.Equal(before.GetCodebook(), after.GetCodebook());
        RgbImage image = CodecTestData.Image(48, 40, seed: 7);
        ushort[] indicesBefore = new ushort[12 * 10], indicesAfter = new ushort[12 * 10];
        before.Encode(image.Pixels, 1, 40, 48, indicesBefore);
        after.Encode(image.Pixels, 1, 40, 48, indicesAfter);
        Assert.Equal(indicesBefore, indicesAfter);
        byte[] decodedBefore = new byte[image.Pixels.Length], decodedAfter = new byte[image.Pixels.Length];
        before.Decode(indicesBefore, 1, 10, 12, decodedBefore);
        after.Decode(indicesAfter, 1, 10, 12, decodedAfter);
        Assert.NotEqual(decodedBefore, decodedAfter);
        Assert.NotEqual(baseCard.Fingerprint, card.Fingerprint);
    }

    [Fact]
    public void FreezingEveryPartOrFreezingOnResumeIsRefused()
    {
        ArgumentException all = Assert.Throws<ArgumentException>(() =>
            Run(Options("frozen", 10) with { Frozen = [ModelPart.Encoder, ModelPart.Decoder, ModelPart.Codebook] }));
        ArgumentException resumed = Assert.Throws<ArgumentException>(() =>
            Run(Options("frozen", 10) with { Resume = true, Frozen = [ModelPart.Encoder] }));

        Assert.Contains("at least one of encoder, decoder and codebook must train", all.Message, StringComparison.Ordinal);
        Assert.Contains("drop --freeze", resumed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResumeWithoutACheckpointSaysSo()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => Run(Options("empty", 10) with { Resume = true }));

        Assert.Contains("no checkpoint", error.Message, StringComparison.Ordinal);
    }
}

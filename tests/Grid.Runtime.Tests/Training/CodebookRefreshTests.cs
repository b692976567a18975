using Grid.Codec;
using Grid.Evaluation;
using Grid.Imaging;
using Grid.Native;
using Grid.Runtime.Tests.Native;
using Grid.Training;
using Xunit.Abstractions;

namespace Grid.Runtime.Tests.Training;

public sealed class CodebookRefreshTests(ITestOutputHelper output)
{
    private static readonly Lazy<string> s_colourModel = new(() => RefreshContent.TrainColourModel(1));

    internal static TrainerOptions SmallOptions => new()
    {
        Crop = 32,
        Batch = 8,
        SampleSide = 64,
        KMeansCrops = 32,
        KMeansIterations = 20,
        FineTuneSteps = 150,
        LearningRate = 2e-3f,
        Threads = 1,
        Nice = 0,
    };

    internal static ReservoirSnapshot ChartSnapshot(int train, int heldOut, int firstSeed = 0)
    {
        static ReservoirSample Sample(string stream, int seed) =>
            new(stream, seed, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + seed), Png.Encode(RefreshContent.Chart(64, 64, seed)));
        return new ReservoirSnapshot(
            [.. Enumerable.Range(firstSeed, train).Select(i => Sample(i % 2 == 0 ? "t/a" : "t/b", i))],
            [.. Enumerable.Range(firstSeed + 1000, heldOut).Select(i => Sample(i % 2 == 0 ? "t/a" : "t/b", i))],
            2, train + heldOut);
    }

    [Fact]
    public void ARefreshOnUnseenContentRaisesItsHeldOutPsnrAndLeavesTheCurrentWeightsAlone()
    {
        NativeTestData.EnsureRuntime();
        (ModelCard card, byte[] weights) = ModelDirectory.Read(s_colourModel.Value);
        byte[] original = [.. weights];
        var log = new List<string>();

        RefreshOutcome outcome = CodebookRefresh.Run(weights, ChartSnapshot(24, 8), SmallOptions, seed: 5, log.Add, CancellationToken.None);

        output.WriteLine(string.Join('\n', log));
        output.WriteLine($"held-out PSNR {outcome.Before.MeanPsnr:F2} -> {outcome.After.MeanPsnr:F2} dB in {outcome.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(original, weights);
        Assert.True(outcome.After.MeanPsnr > outcome.Before.MeanPsnr + 1, $"PSNR {outcome.Before.MeanPsnr:F2} -> {outcome.After.MeanPsnr:F2} dB");
        Assert.True(outcome.Accepted(0));
        Assert.NotEqual(weights, outcome.CandidateWeights);
        Assert.Equal(24, outcome.TrainSamples);
        Assert.Equal(8, outcome.HeldOutSamples);
        Assert.Equal(150, outcome.Steps);
        Assert.InRange(outcome.KMeans.Iterations, 1, 20);
        using NativeModel candidate = NativeModel.Load(outcome.CandidateWeights);
        Assert.Equal(card.Config, candidate.Config);
        Assert.Contains(log, l => l.StartsWith("k-means refresh from the current codebook", StringComparison.Ordinal));
    }

    [Fact]
    public void TheRefreshIsDeterministicForASeed()
    {
        NativeTestData.EnsureRuntime();
        (_, byte[] weights) = ModelDirectory.Read(s_colourModel.Value);
        TrainerOptions options = SmallOptions with { FineTuneSteps = 10 };

        RefreshOutcome first = CodebookRefresh.Run(weights, ChartSnapshot(8, 4), options, seed: 9, _ => { }, CancellationToken.None);
        RefreshOutcome second = CodebookRefresh.Run(weights, ChartSnapshot(8, 4), options, seed: 9, _ => { }, CancellationToken.None);

        Assert.Equal(first.CandidateWeights, second.CandidateWeights);
        Assert.Equal(first.After.MeanPsnr, second.After.MeanPsnr);
    }

    [Fact]
    public void ACancelledRefreshStopsBetweenSteps()
    {
        NativeTestData.EnsureRuntime();
        (_, byte[] weights) = ModelDirectory.Read(s_colourModel.Value);
        using var cancellation = new CancellationTokenSource();
        var log = new List<string>();

        Assert.ThrowsAny<OperationCanceledException>(() => CodebookRefresh.Run(weights, ChartSnapshot(8, 4), SmallOptions with { FineTuneSteps = 100_000 }, 1,
            message =>
            {
                log.Add(message);
                if (message.StartsWith("fine-tune step 50/", StringComparison.Ordinal))
                {
                    cancellation.Cancel();
                }
            }, cancellation.Token));

        Assert.DoesNotContain(log, l => l.StartsWith("fine-tune step 100/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheTrainerThreadRunsWithItsOwnThreadCountAndPriority()
    {
        NativeTestData.EnsureRuntime();
        int processThreads = NativeRuntime.Threads;
        string applied = string.Empty;

        (int threads, int nice) = await TrainerThread.RunAsync(() => (NativeRuntime.Threads, ReadNice()), threads: 1, nice: 7, a => applied = a);

        Assert.Equal(1, threads);
        Assert.Equal(7, nice);
        Assert.Equal("1 OpenMP threads, nice 7", applied);
        Assert.Equal(processThreads, NativeRuntime.Threads); // this thread keeps the process's count
        Assert.Equal(0, ReadNice());
    }

    [Fact]
    public void MeasuringTheSameModelTwiceGivesTheSamePsnr()
    {
        // The evaluation the publish decision rests on is deterministic: no spurious "worse" from noise.
        NativeTestData.EnsureRuntime();
        (_, byte[] weights) = ModelDirectory.Read(s_colourModel.Value);
        using NativeModel model = NativeModel.Load(weights);
        var set = new ValidationSet([RefreshContent.Chart(64, 48, 1), RefreshContent.Chart(40, 40, 2)], ["a", "b"]);

        Assert.Equal(set.Measure(model).MeanPsnr, set.Measure(model).MeanPsnr);
        Assert.True(ImageMetrics.Psnr(RefreshContent.Chart(8, 8, 1), RefreshContent.Chart(8, 8, 1)) > 99);
    }

    private static int ReadNice()
    {
        // Field 19 of /proc/thread-self/stat is the nice value; the command name (field 2) is in parentheses.
        string stat = File.ReadAllText("/proc/thread-self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }
}

using Grid.Contracts.Frames;
using System.Diagnostics;
using System.Globalization;
using Grid.Grains.Abstractions;
using Grid.Grains.Serving;
using Grid.Imaging;
using Grid.Training;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Xunit.Abstractions;

namespace Grid.Runtime.Tests.Grains;

/// <summary>
/// What the Orleans grain call costs a codec request (issue 16, point 11): inside a silo of the two-silo test cluster
/// on real Redis, as the silo's HTTP handlers do, the same work measured side by side, interleaved, in one run:
/// <list type="bullet">
/// <item>a round trip to the silo's codec grain that does no work (<see cref="ICodecGrain.GetStatusAsync"/>) against
/// reading the same fields from the batcher directly: the grain call's own latency;</item>
/// <item>encodes of small images from <see cref="Callers"/> concurrent callers through the codec grain against the
/// same callers handing them to the silo's <see cref="CodecBatcher"/> directly: throughput ratio and the extra time
/// per request.</item>
/// </list>
/// Not part of normal runs: <c>--filter Category=Benchmark</c>; figures in README.md.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class GrainCallBenchmark(ITestOutputHelper output)
{
    private const int Callers = 32;
    private const int Side = 64;
    private static readonly TimeSpan s_window = TimeSpan.FromSeconds(5);
    private static readonly TrainerOptions s_trainer = new() { TickSeconds = 600, RefreshMinutes = 0 };

    [Fact]
    public async Task GrainCallOverheadPerCodecRequest()
    {
        await using GrainCluster cluster = await GrainCluster.StartAsync(s_trainer, "cpu", "cpu");
        IServiceProvider silo = cluster.Silo("Silo_0").ServiceProvider;
        IGrainFactory grains = silo.GetRequiredService<IGrainFactory>();
        CodecBatcher batcher = silo.GetRequiredService<CodecBatcher>();
        ICodecGrain grain = grains.GetGrain<ICodecGrain>(new CodecGrainKey("cpu", "Silo_0").ToString());
        var image = new RgbImage(Side, Side);
        new Random(5).NextBytes(image.Pixels);
        var pixels = new ImagePixels(Side, Side, image.Pixels);

        // The same frame either way: the grain adds a hop, not a different computation.
        CodecReply<EncodedFrame> viaGrain = await grain.EncodeAsync(pixels.AsImmutable(), FrameQuality.Standard);
        EncodeResult direct = await batcher.EncodeAsync(image);
        Assert.Null(viaGrain.Error);
        Assert.Equal(direct.Frame, viaGrain.Value!.Frame);

        const int Calls = 20_000;
        double[] callUs = new double[2], directUs = new double[2];
        double[] grainRate = new double[2], directRate = new double[2];
        for (int round = 0; round < 2; round++)
        {
            callUs[round] = await MicrosecondsPerCallAsync(async () => await grain.GetStatusAsync(), Calls);
            directUs[round] = await MicrosecondsPerCallAsync(
                () => Task.FromResult(new CodecStatus(batcher.Device, batcher.ModelVersion ?? 0, batcher.QueueDepth, batcher.QueueCapacity, batcher.CompletedRequests)), Calls);
            grainRate[round] = await RequestsPerSecondAsync(async () => Assert.Null((await grain.EncodeAsync(pixels.AsImmutable(), FrameQuality.Standard)).Error));
            directRate[round] = await RequestsPerSecondAsync(() => batcher.EncodeAsync(image));
        }

        double grainCall = callUs.Average(), directCall = directUs.Average();
        double viaGrainRate = grainRate.Average(), viaBatcherRate = directRate.Average();
        double extraUs = (Callers / viaGrainRate - Callers / viaBatcherRate) * 1e6;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"no-op round trip, 1 caller: grain call {grainCall:0.0} us, direct {directCall:0.00} us (rounds: {callUs[0]:0.0} / {callUs[1]:0.0} us)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Side}x{Side} encodes, {Callers} callers, {s_window.TotalSeconds:0} s x 2 each: via grain {viaGrainRate:0.0}/s, direct to the batcher {viaBatcherRate:0.0}/s, " +
            $"ratio {viaGrainRate / viaBatcherRate:0.000}; extra latency per request {extraUs:0} us (rounds: {grainRate[0]:0.0}/{directRate[0]:0.0}, {grainRate[1]:0.0}/{directRate[1]:0.0})"));
        Assert.True(viaGrainRate > 0 && viaBatcherRate > 0);
    }

    private static async Task<double> MicrosecondsPerCallAsync(Func<Task> call, int calls)
    {
        for (int i = 0; i < 1000; i++)
        {
            await call();
        }
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            await call();
        }
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
    }

    private static async Task<double> RequestsPerSecondAsync(Func<Task> request)
    {
        int done = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < s_window)
            {
                await request();
                Interlocked.Increment(ref done);
            }
        })));
        return done / clock.Elapsed.TotalSeconds;
    }
}

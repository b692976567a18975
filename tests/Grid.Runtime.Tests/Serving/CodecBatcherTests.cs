using System.Diagnostics;
using Grid.Contracts;
using Grid.Contracts.Frames;
using Grid.Codec;
using Grid.Imaging;
using Grid.Grains.Serving;

namespace Grid.Runtime.Tests.Serving;

public sealed class CodecBatcherTests
{
    [Fact]
    public async Task BatchesAreCutAtMaxBatch()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        CodecBatcher grain = await harness.StartGrainAsync(new CodecGrainOptions { MaxBatch = 4, MaxDelay = TimeSpan.FromSeconds(5) });
        var clock = Stopwatch.StartNew();

        EncodeResult[] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => grain.EncodeAsync(ServingHarness.Image(16, i))));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"full batches must not wait for MaxDelay (took {clock.Elapsed})");
        Assert.Equal(2, harness.Sample("grid_codec_batch_size_count"));
        Assert.Equal(8, harness.Sample("grid_codec_batch_size_sum"));
        Assert.All(results, r => Assert.Equal(1u, r.ModelVersion));
    }

    [Fact]
    public async Task APartialBatchRunsMaxDelayAfterItsFirstRequest()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        CodecBatcher grain = await harness.StartGrainAsync(new CodecGrainOptions { MaxBatch = 16, MaxDelay = TimeSpan.FromMilliseconds(300) });
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => grain.EncodeAsync(ServingHarness.Image(16, i))));

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"the batch ran before MaxDelay ({clock.Elapsed})");
        Assert.Equal(1, harness.Sample("grid_codec_batch_size_count"));
        Assert.Equal(3, harness.Sample("grid_codec_batch_size_sum"));
    }

    [Fact]
    public async Task BatchedResultsEqualSingleEncodes()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        CodecBatcher grain = await harness.StartGrainAsync(new CodecGrainOptions { MaxBatch = 16, MaxDelay = TimeSpan.FromMilliseconds(50) });
        using VqCodec codec = VqCodec.Load(harness.WriteModel(1, seed: 1));
        // Mixed sizes: one batch, several padded-size groups.
        RgbImage[] images = [.. Enumerable.Range(0, 10).Select(i => ServingHarness.Image(8 + (i % 3 * 5), i))];

        EncodeResult[] results = await Task.WhenAll(images.Select(image => grain.EncodeAsync(image)));
        RgbImage[] decoded = await Task.WhenAll(results.Select(r => grain.DecodeAsync(r.Frame)));

        for (int i = 0; i < images.Length; i++)
        {
            Assert.Equal(codec.Encode(images[i]), results[i].Frame);
            Assert.Equal(codec.Decode(results[i].Frame).Pixels, decoded[i].Pixels);
        }
    }

    [Fact]
    public async Task AFullQueueRefusesWithRetryAfter()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        // The thread holds the first requests while it waits for a fuller batch, so the queue fills deterministically.
        CodecBatcher grain = await harness.StartGrainAsync(new CodecGrainOptions { MaxBatch = 64, MaxQueue = 2, MaxDelay = TimeSpan.FromSeconds(30) });
        Task<EncodeResult> first = grain.EncodeAsync(ServingHarness.Image(8, 0));
        Task<EncodeResult> second = grain.EncodeAsync(ServingHarness.Image(8, 1));

        QueueFullException full = Assert.Throws<QueueFullException>(() => { _ = grain.EncodeAsync(ServingHarness.Image(8, 2)); }); // refused synchronously
        await grain.DrainAsync();

        Assert.Equal(ErrorCodes.QueueFull, full.Code);
        Assert.True(full.RetryAfter >= TimeSpan.FromSeconds(1));
        Assert.Equal(2, grain.QueueCapacity);
        Assert.True(first.IsCompletedSuccessfully && second.IsCompletedSuccessfully);
        Assert.Equal(1, harness.Sample("grid_codec_batch_size_count"));
    }

    [Fact]
    public async Task DrainFinishesQueuedWorkAndRefusesNewWork()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        CodecBatcher grain = await harness.StartGrainAsync(new CodecGrainOptions { MaxBatch = 64, MaxDelay = TimeSpan.FromSeconds(30) });
        Task<EncodeResult>[] queued = [.. Enumerable.Range(0, 5).Select(i => grain.EncodeAsync(ServingHarness.Image(12, i)))];

        Task drained = grain.DrainAsync();
        CodecUnavailableException refused = Assert.Throws<CodecUnavailableException>(() => { _ = grain.EncodeAsync(ServingHarness.Image(12, 9)); });
        await drained.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(queued, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(ErrorCodes.Unavailable, refused.Code);
        Assert.True(grain.IsDraining);
        Assert.Equal(0, grain.QueueDepth);
    }

    [Fact]
    public async Task ARequestCancelledWhileQueuedIsSkipped()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        CodecBatcher grain = await harness.StartGrainAsync(new CodecGrainOptions { MaxBatch = 16, MaxDelay = TimeSpan.FromMilliseconds(300) });
        using var cancel = new CancellationTokenSource();
        Task<EncodeResult> kept = grain.EncodeAsync(ServingHarness.Image(8, 0));
        Task<EncodeResult> cancelled = grain.EncodeAsync(ServingHarness.Image(8, 1), cancellationToken: cancel.Token);

        await cancel.CancelAsync();
        await kept;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(1, harness.Sample("grid_codec_batch_size_sum"));
    }

    [Fact]
    public async Task ABatchOfMixedQualityLevelsGivesEachRequestItsOwnLevel()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        CodecBatcher grain = await harness.StartGrainAsync(new CodecGrainOptions { MaxBatch = 16, MaxDelay = TimeSpan.FromMilliseconds(50) });
        using VqCodec codec = VqCodec.Load(harness.WriteModel(1, seed: 1));
        RgbImage image = ServingHarness.Image(20, 3);
        FrameQuality[] levels = [.. FrameQualities.All];

        EncodeResult[] results = await Task.WhenAll(levels.Select(q => grain.EncodeAsync(image, q)));
        RgbImage[] decoded = await Task.WhenAll(results.Select(r => grain.DecodeAsync(r.Frame)));

        for (int i = 0; i < levels.Length; i++)
        {
            Assert.Equal(codec.Encode(image, FrameCoding.Fixed, levels[i]), results[i].Frame);
            Assert.Equal(levels[i], VqfReader.ReadInfo(results[i].Frame).Quality);
            Assert.Equal((20, 20), (decoded[i].Width, decoded[i].Height));
            Assert.Equal(codec.Decode(results[i].Frame).Pixels, decoded[i].Pixels);
        }
    }

    [Fact]
    public async Task ABadFrameFailsAloneInItsBatch()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        CodecBatcher grain = await harness.StartGrainAsync(new CodecGrainOptions { MaxBatch = 16, MaxDelay = TimeSpan.FromMilliseconds(100) });
        byte[] good = (await grain.EncodeAsync(ServingHarness.Image(16, 3))).Frame;
        FrameInfo info = VqfReader.ReadInfo(good);
        byte[] bad = VqfWriter.Write(info, Enumerable.Repeat((ushort)511, info.IndexCount).ToArray()); // 511 >= K = 500

        Task<RgbImage>[] decodes = [grain.DecodeAsync(good), grain.DecodeAsync(bad), grain.DecodeAsync(good)];
        CodecException error = await Assert.ThrowsAsync<CodecException>(() => decodes[1]);

        Assert.Equal(ErrorCodes.IndexOutOfRange, error.Code);
        Assert.Equal((await decodes[0]).Pixels, (await decodes[2]).Pixels);
    }

    [Fact]
    public async Task DecodeUsesTheFramesOwnModelVersionAfterASwap()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        CodecBatcher grain = await harness.StartGrainAsync(new CodecGrainOptions { MaxBatch = 4, MaxDelay = TimeSpan.FromMilliseconds(1) });
        RgbImage image = ServingHarness.Image(16, 5);
        EncodeResult old = await grain.EncodeAsync(image);
        string v2 = harness.WriteModel(2, seed: 2);
        await harness.Registry.ImportAsync(v2);
        await harness.Registry.SetCurrentAsync(2);

        await harness.Cache!.RefreshAsync();
        Assert.Equal(2u, harness.Cache.CurrentVersion);
        EncodeResult fresh = await grain.EncodeAsync(image);
        RgbImage oldDecoded = await grain.DecodeAsync(old.Frame);

        using VqCodec codec1 = VqCodec.Load(harness.WriteModel(1, seed: 1));
        using VqCodec codec2 = VqCodec.Load(v2);
        Assert.Equal((1u, 2u), (old.ModelVersion, fresh.ModelVersion));
        Assert.Equal(codec2.Encode(image), fresh.Frame);
        Assert.Equal(codec1.Decode(old.Frame).Pixels, oldDecoded.Pixels);
        Assert.Equal([1u], harness.Cache.CachedVersions);
    }

    [Fact]
    public async Task LanesRunBatchesSideBySideAndAnswerAsOneLaneWould()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        CodecBatcher grain = await harness.StartGrainAsync(new CodecGrainOptions { Lanes = 2, MaxBatch = 2, MaxDelay = TimeSpan.FromMilliseconds(20) });
        using VqCodec codec = VqCodec.Load(harness.WriteModel(1, seed: 1));
        RgbImage[] images = [.. Enumerable.Range(0, 40).Select(i => ServingHarness.Image(8 + (i % 4 * 8), i))];

        EncodeResult[] results = await Task.WhenAll(images.Select(image => grain.EncodeAsync(image)));
        RgbImage[] decoded = await Task.WhenAll(results.Select(r => grain.DecodeAsync(r.Frame)));

        for (int i = 0; i < images.Length; i++)
        {
            Assert.Equal(codec.Encode(images[i]), results[i].Frame);
            Assert.Equal(codec.Decode(results[i].Frame).Pixels, decoded[i].Pixels);
        }
        IReadOnlyList<long> perLane = grain.BatchesPerLane;
        Assert.Equal(2, perLane.Count);
        Assert.True(perLane.All(n => n > 0), $"both lanes must run batches: {string.Join(", ", perLane)}");
        Assert.Equal(80, harness.Sample("grid_codec_batch_size_sum"));
        Assert.True(harness.Sample("grid_codec_batch_size_count") >= 40, "no batch may exceed MaxBatch");
    }

    [Fact]
    public async Task DrainStopsEveryLane()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        CodecBatcher grain = await harness.StartGrainAsync(new CodecGrainOptions { Lanes = 3, MaxBatch = 1, MaxDelay = TimeSpan.Zero });
        Task<EncodeResult>[] queued = [.. Enumerable.Range(0, 9).Select(i => grain.EncodeAsync(ServingHarness.Image(16, i)))];

        await grain.DrainAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(queued, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Throws<CodecUnavailableException>(() => { _ = grain.EncodeAsync(ServingHarness.Image(16, 0)); });
    }

    [Fact]
    public async Task MoreLanesThanModelCopiesIsRefused()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        await harness.StartGrainAsync(new CodecGrainOptions { Lanes = 1 });

        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new CodecBatcher(harness.Cache!, new CodecGrainOptions { Lanes = 2 }, Microsoft.Extensions.Logging.Abstractions.NullLogger<CodecBatcher>.Instance));
        Assert.Contains("2 codec lanes", e.Message, StringComparison.Ordinal);
    }
}

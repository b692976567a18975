using Grid.Imaging;
using Grid.Storage.Streams;
using Grid.Runtime.Tests.Native;
using Grid.Training;
using Grid.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grid.Runtime.Tests.Training;

/// <summary>Sampling decisions, the bounded reservoir (real redis-server per test: the keys are global) and the sampler.</summary>
public sealed class ReservoirTests
{
    [Fact]
    public void SamplingDecisionsAreStableAndHitTheirRates()
    {
        int sampled = 0, heldOut = 0;
        for (long seq = 0; seq < 20_000; seq++)
        {
            SampleHash hash = SampleHash.Of("tenant", "camera-1", seq);
            Assert.Equal(hash.Sampled(10), SampleHash.Of("tenant", "camera-1", seq).Sampled(10));
            Assert.InRange(hash.Uniform, 0, 1 - double.Epsilon);
            if (hash.Sampled(10))
            {
                sampled++;
                heldOut += hash.HeldOut(5) ? 1 : 0;
            }
        }
        Assert.InRange(sampled, 1_800, 2_200);
        Assert.InRange(heldOut, sampled / 5 - 80, sampled / 5 + 80);
        Assert.False(SampleHash.Of("t", "s", 1).Sampled(0));
        Assert.True(SampleHash.Of("t", "s", 1).Sampled(1));
        // Different streams decide differently for the same sequence numbers.
        Assert.NotEqual(
            Enumerable.Range(0, 64).Select(i => SampleHash.Of("t", "a", i).Sampled(2)),
            Enumerable.Range(0, 64).Select(i => SampleHash.Of("t", "b", i).Sampled(2)));
    }

    [Theory]
    [InlineData(new[] { 100, 100 }, 10, new[] { 5, 5 })]
    [InlineData(new[] { 2, 100, 100 }, 10, new[] { 2, 4, 4 })]
    [InlineData(new[] { 1, 1 }, 10, new[] { 1, 1 })]
    [InlineData(new[] { 7, 0, 3 }, 9, new[] { 6, 0, 3 })]
    [InlineData(new int[0], 5, new int[0])]
    public void SharesAreEqualUpToWhatAStreamHolds(int[] available, int total, int[] expected)
    {
        Assert.Equal(expected, ReservoirStore.Shares(available, total));
    }

    [Fact]
    public async Task AlgorithmRKeepsAUniformBoundedSampleOfAStream()
    {
        await using RedisServer server = await RedisServer.StartAsync();
        using RedisConnection redis = await RedisConnection.ConnectAsync(server.ConnectionString);
        var store = new ReservoirStore(redis, new TrainerOptions { StreamCapacity = 8, HeldOutCapacity = 2 });
        var kept = new List<long>();

        for (long seq = 0; seq < 400; seq++)
        {
            if (await store.ReserveAsync("t/a", heldOut: false, SampleHash.Of("t", "a", seq).Uniform) is { } slot)
            {
                Assert.InRange(slot, 0, 7);
                kept.Add(seq);
                await store.WriteAsync("t/a", false, slot, seq, [1, 2, 3]);
            }
        }

        // The first 8 always; later frames with probability 8/n (expected about 8 * ln(400/8) = 31 more).
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), kept.Take(8));
        Assert.InRange(kept.Count, 20, 50);
        Assert.Equal(new ReservoirCounts(1, 8, 0), await store.CountAsync());
        Assert.Equal(kept.Count, await store.SampledTotalAsync());
        ReservoirSnapshot snapshot = await store.ReadAsync(100, 100, seed: 1);
        Assert.Equal(8, snapshot.Train.Count);
        Assert.Empty(snapshot.HeldOut);
        Assert.True(snapshot.Train.Max(s => s.Sequence) >= 8, "later frames replaced early ones");
        Assert.Equal(snapshot.Train.Count, snapshot.Train.Select(s => s.Sequence).Distinct().Count());
    }

    [Fact]
    public async Task ACycleReadsEquallyFromStreamsAndTheLeastRecentStreamMakesRoom()
    {
        await using RedisServer server = await RedisServer.StartAsync();
        using RedisConnection redis = await RedisConnection.ConnectAsync(server.ConnectionString);
        var options = new TrainerOptions { StreamCapacity = 50, HeldOutCapacity = 5, MaxStreams = 2 };
        var store = new ReservoirStore(redis, options);
        async Task Fill(string member, int count, bool heldOut)
        {
            for (int i = 0; i < count; i++)
            {
                long slot = (await store.ReserveAsync(member, heldOut, 0.5))!.Value;
                await store.WriteAsync(member, heldOut, slot, i, [(byte)i]);
            }
        }
        await Fill("t/old", 3, false);
        await Task.Delay(5);
        await Fill("t/busy", 50, false);
        await Fill("t/busy", 5, true);
        await Task.Delay(5);
        await Fill("t/quiet", 4, false);
        await Fill("t/quiet", 1, true);

        ReservoirSnapshot snapshot = await store.ReadAsync(maxTrain: 10, maxHeldOut: 4, seed: 3);

        // MaxStreams = 2: the stream sampled least recently was dropped for the third.
        Assert.Equal(2, snapshot.Streams);
        Assert.DoesNotContain(snapshot.Train, s => s.Stream == "t/old");
        Assert.Equal(4, snapshot.Train.Count(s => s.Stream == "t/quiet"));
        Assert.Equal(6, snapshot.Train.Count(s => s.Stream == "t/busy"));
        Assert.Equal(1, snapshot.HeldOut.Count(s => s.Stream == "t/quiet"));
        Assert.Equal(3, snapshot.HeldOut.Count(s => s.Stream == "t/busy"));
        Assert.Equal(2, snapshot.ContributingStreams);
        Assert.True(snapshot.FirstSample <= snapshot.LastSample);
        Assert.Equal(63, snapshot.SampledTotal);
    }

    [Fact]
    public async Task TheSamplerNeverWaitsWhenItsQueueIsFullAndWritesCropsAsPng()
    {
        NativeTestData.EnsureRuntime();
        await using RedisServer server = await RedisServer.StartAsync();
        using RedisConnection redis = await RedisConnection.ConnectAsync(server.ConnectionString);
        var options = new TrainerOptions { SampleEvery = 1, SampleQueue = 2, SampleSide = 32, Crop = 32, HeldOutEvery = 1000 };
        var sampler = new FrameSampler(new ReservoirStore(redis, options), options, NullLogger<FrameSampler>.Instance);
        RgbImage frame = RefreshContent.Chart(80, 48, 1);

        // The writer is not running: two fit in the queue, the rest are dropped at once.
        bool[] queued = [.. Enumerable.Range(0, 5).Select(seq => sampler.Offer("t", "cam", seq, frame))];
        Assert.Equal([true, true, false, false, false], queued);
        Assert.Equal(3, sampler.DroppedQueueFull);

        using var stop = new CancellationTokenSource();
        Task writer = sampler.RunAsync(stop.Token);
        while (sampler.Written < 2)
        {
            await Task.Delay(10);
        }
        await stop.CancelAsync();
        await writer;

        ReservoirSnapshot snapshot = await new ReservoirStore(redis, options).ReadAsync(10, 10, 1);
        Assert.Equal([0L, 1L], snapshot.Train.Select(s => s.Sequence).Order());
        RgbImage sample = snapshot.Train[0].Decode();
        Assert.Equal((32, 32), (sample.Width, sample.Height)); // a crop of SampleSide, not the whole frame
        SampleHash hash = SampleHash.Of("t", "cam", snapshot.Train[0].Sequence);
        Assert.Equal(FrameSampler.Crop(frame, 32, hash).Pixels, sample.Pixels);
    }
}

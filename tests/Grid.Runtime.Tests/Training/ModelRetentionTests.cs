using Grid.Codec;
using Grid.Storage.Models;
using Grid.Native;
using Grid.Grains.Serving;
using Grid.Storage.Streams;
using Grid.Runtime.Tests.Native;
using Grid.TestSupport;

namespace Grid.Runtime.Tests.Training;

/// <summary>Model retention against a real redis-server (one per test: model keys are global) and real stream frames.</summary>
public sealed class ModelRetentionTests
{
    private static readonly TimeSpan s_grace = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task RetentionKeepsCurrentNewestAndEveryVersionAFrameNamesAndDeletesTheRestInTwoPasses()
    {
        NativeTestData.EnsureRuntime();
        await using RedisServer server = await RedisServer.StartAsync();
        using RedisConnection redis = await RedisConnection.ConnectAsync(server.ConnectionString);
        var clock = new ManualClock();
        var registry = new ModelRegistry(redis, clock);
        var streams = new StreamStore(redis, clock);
        var retention = new ModelRetention(registry, streams, clock);
        Dictionary<uint, byte[]> weights = [];
        for (uint v = 1; v <= 6; v++)
        {
            weights[v] = await PublishAsync(registry, v);
        }
        await registry.SetCurrentAsync(6);
        // A stream holds frames of version 2 (and the frame is a real one: it must decode later).
        using VqCodec codec2 = VqCodec.FromWeights(weights[2], 2);
        byte[] frameOf2 = codec2.Encode(RefreshContent.Chart(16, 16, 1));
        await streams.AppendAsync("t", "cam", new FrameToAppend(null, 2, 16, 16, frameOf2));

        RetentionPass first = await retention.RunAsync(keepLatest: 2, s_grace);

        Assert.Equal([2u, 5u, 6u], first.Kept);
        Assert.Equal([1u, 3u, 4u], first.Marked);
        Assert.Empty(first.Deleted);
        Assert.Equal([1u, 2u, 3u, 4u, 5u, 6u], await registry.ListVersionNumbersAsync()); // nothing deleted yet
        // From the mark on, a ready VQF frame naming a retiring version is refused: nothing new can depend on it.
        using VqCodec codec3 = VqCodec.FromWeights(weights[3], 3);
        ModelNotFoundException refused = await Assert.ThrowsAsync<ModelNotFoundException>(() =>
            FrameValidator.ValidateAsync(codec3.Encode(RefreshContent.Chart(16, 16, 2)), registry, 1024, CancellationToken.None));
        Assert.Contains("retired", refused.Message, StringComparison.Ordinal);
        // A frame of version 4 validated just before the mark lands now: version 4 is needed again.
        using VqCodec codec4 = VqCodec.FromWeights(weights[4], 4);
        await streams.AppendAsync("t", "cam", new FrameToAppend(null, 4, 16, 16, codec4.Encode(RefreshContent.Chart(16, 16, 3))));

        RetentionPass early = await retention.RunAsync(2, s_grace);
        clock.Now += s_grace;
        RetentionPass second = await retention.RunAsync(2, s_grace);

        Assert.Empty(early.Deleted); // the grace had not passed
        Assert.Equal([4u], early.Unmarked);
        Assert.Equal([1u, 3u], second.Deleted);
        Assert.Equal([2u, 4u, 5u, 6u], await registry.ListVersionNumbersAsync());
        Assert.Null(await registry.GetAsync(1));
        Assert.Null(await registry.GetAsync(3));
        Assert.Empty(await registry.RetiringAsync());
        // Every stored frame still decodes with the version it names, bit-identically.
        StoredModel stored2 = (await registry.GetAsync(2))!;
        using VqCodec reloaded2 = VqCodec.FromWeights(stored2.Weights, 2);
        Assert.Equal(codec2.Decode(frameOf2).Pixels, reloaded2.Decode(frameOf2).Pixels);
        // Deleted numbers are never handed out again, and cannot become current or be republished.
        Assert.Equal(7u, await registry.NextVersionAsync());
        await Assert.ThrowsAsync<ModelNotFoundException>(() => registry.SetCurrentAsync(3));
        await Assert.ThrowsAsync<ModelConflictException>(() => PublishAsync(registry, 3));
    }

    [Fact]
    public async Task MakingARetiringVersionCurrentTakesTheMarkOffAndTheHighestNumberIsNeverReused()
    {
        NativeTestData.EnsureRuntime();
        await using RedisServer server = await RedisServer.StartAsync();
        using RedisConnection redis = await RedisConnection.ConnectAsync(server.ConnectionString);
        var clock = new ManualClock();
        var registry = new ModelRegistry(redis, clock);
        var retention = new ModelRetention(registry, new StreamStore(redis, clock), clock);
        for (uint v = 1; v <= 3; v++)
        {
            await PublishAsync(registry, v);
        }
        await registry.SetCurrentAsync(3);
        Assert.Equal([1u], (await retention.RunAsync(2, s_grace)).Marked);

        await registry.SetCurrentAsync(1); // a rollback
        clock.Now += s_grace;
        RetentionPass pass = await retention.RunAsync(2, s_grace);

        Assert.Empty(pass.Deleted);
        Assert.Equal([1u, 2u, 3u], pass.Kept);
        Assert.False(await registry.IsRetiringOrRetiredAsync(1));
        Assert.Equal(4u, await registry.NextVersionAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => registry.DeleteAsync(1)); // current
    }

    private static async Task<byte[]> PublishAsync(ModelRegistry registry, uint version)
    {
        using NativeModel model = NativeModel.Create(RefreshContent.Config, "cpu", seed: version);
        byte[] weights = model.Save();
        await registry.PublishAsync(ModelDirectory.CardFor(model, weights, version), weights);
        return weights;
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

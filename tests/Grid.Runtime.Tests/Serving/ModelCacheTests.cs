using Grid.Contracts.Frames;
using Grid.Codec;
using Grid.Grains.Models;
using Grid.Storage.Models;
using Grid.Native;
using Grid.Grains.Serving;

namespace Grid.Runtime.Tests.Serving;

public sealed class ModelCacheTests
{
    [Fact]
    public async Task ALeasedModelOutlivesItsSwapAndEviction()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        await harness.StartGrainAsync(new CodecGrainOptions(), cacheCapacity: 1);
        ModelCache cache = harness.Cache!;
        ModelLease lease = cache.AcquireCurrent();

        foreach (uint version in new uint[] { 2, 3 })
        {
            await harness.Registry.ImportAsync(harness.WriteModel(version, seed: version));
            await harness.Registry.SetCurrentAsync(version);
            await cache.RefreshAsync();
            Assert.Equal(version, cache.CurrentVersion);
        }

        // Version 1 was swapped out, then evicted (capacity 1 keeps only version 2), yet the lease still works.
        Assert.Equal(3u, cache.CurrentVersion);
        Assert.Equal([2u], cache.CachedVersions);
        Assert.Equal(1u, lease.Version);
        byte[] frame = lease.Codec.Encode(ServingHarness.Image(8, 1));
        Assert.Equal(1u, VqfReader.ReadInfo(frame).ModelVersion);
        lease.Dispose();
        Assert.Throws<ObjectDisposedException>(() => lease.Codec.Encode(ServingHarness.Image(8, 1)));
        lease.Dispose(); // idempotent
    }

    [Fact]
    public async Task AFailedLoadKeepsTheCurrentModelServing()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        CodecBatcher grain = await harness.StartGrainAsync(new CodecGrainOptions { MaxDelay = TimeSpan.Zero });
        byte[] garbage = "not a weights file at all"u8.ToArray();
        ModelCard card = (await harness.Registry.GetCardAsync((await harness.Registry.ListVersionNumbersAsync())[0]))! with
        {
            Version = 2,
            Fingerprint = VqfFormat.FormatFingerprint(VqfFormat.ComputeFingerprint(garbage)),
        };
        await harness.Registry.PublishAsync(card, garbage);
        await harness.Registry.SetCurrentAsync(2);

        await Assert.ThrowsAnyAsync<NativeException>(() => harness.Cache!.RefreshAsync());
        EncodeResult stillServing = await grain.EncodeAsync(ServingHarness.Image(8, 2));

        Assert.Equal(1u, harness.Cache!.CurrentVersion);
        Assert.Equal(1u, stillServing.ModelVersion);
        Assert.Equal(1, harness.Cache.LoadFailures);
        Assert.Equal(1, harness.Sample("grid_model_load_failures_total"));
    }

    [Fact]
    public async Task AnUnknownVersionIsModelNotFound()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        await harness.StartGrainAsync(new CodecGrainOptions());

        ModelNotFoundException missing = await Assert.ThrowsAsync<ModelNotFoundException>(async () => await harness.Cache!.AcquireAsync(42));

        Assert.Equal(42u, missing.Version);
        Assert.Equal(Contracts.ErrorCodes.ModelNotFound, missing.Code);
    }

    [Fact]
    public async Task ANoticeOfANewCurrentVersionSwapsItInTheBackground()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        await harness.StartGrainAsync(new CodecGrainOptions());
        await harness.Registry.ImportAsync(harness.WriteModel(2, seed: 2));
        await harness.Registry.SetCurrentAsync(2);

        harness.Cache!.NotifyCurrentChanged(2); // what the silo's registry observer does with the grain's notice
        for (int i = 0; i < 400 && harness.Cache.CurrentVersion != 2; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(2u, harness.Cache.CurrentVersion);
        Assert.Equal(2, harness.Sample("grid_model_current_version"));
    }

    [Fact]
    public async Task ANoticeThatRedisContradictsChangesNothing()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        await harness.StartGrainAsync(new CodecGrainOptions());
        await harness.Registry.ImportAsync(harness.WriteModel(2, seed: 2));
        await harness.Registry.ImportAsync(harness.WriteModel(3, seed: 3));
        await harness.Registry.SetCurrentAsync(3);

        // A stale notice (version 2, overtaken by 3) arrives first: the cache follows Redis, not the notice.
        harness.Cache!.NotifyCurrentChanged(2);
        for (int i = 0; i < 400 && harness.Cache.CurrentVersion != 3; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(3u, harness.Cache.CurrentVersion);
        Assert.DoesNotContain(2u, harness.Cache.CachedVersions); // version 2 was never loaded
    }
}

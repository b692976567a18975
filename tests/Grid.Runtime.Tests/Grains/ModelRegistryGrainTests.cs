using Grid.Contracts.Frames;
using Grid.Codec;
using Grid.Contracts;
using Grid.Grains.Abstractions;
using Grid.Native;
using Grid.TestSupport;
using Grid.Training;
using Orleans.Concurrency;
using Orleans.TestingHost;

namespace Grid.Runtime.Tests.Grains;

/// <summary>
/// The model registry grain in a two-silo Orleans test cluster on a real redis-server: switches of the current version
/// reach every silo's model cache through its subscription, and what a silo missed it catches up by renewing.
/// </summary>
public sealed class ModelRegistryGrainTests
{
    private static readonly TrainerOptions s_trainer = new() { TickSeconds = 60, RefreshMinutes = 0 };
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_never = TimeSpan.FromHours(1);
    private static readonly string[] s_silos = ["Silo_0", "Silo_1"];

    [Fact]
    public async Task APublishAndARollbackThroughTheGrainReachBothSilosWithoutARenewal()
    {
        // Silos renew their subscription once an hour: only the grain's notices can tell them of a switch.
        await using GrainCluster cluster = await GrainCluster.StartAsync(s_trainer, s_never);
        await PublishTinyModelAsync(cluster, 2);
        IModelRegistryGrain registry = cluster.ModelRegistryGrain;

        ModelSwitchReply published = await registry.SwitchCurrentAsync(1, 2);
        await WaitUntilServingAsync(cluster, 2);
        ModelSwitchReply rolledBack = await registry.RollbackAsync(1);
        await WaitUntilServingAsync(cluster, 1);

        Assert.Equal(new ModelSwitchReply(true, 2), published);
        Assert.Equal(new ModelSwitchReply(true, 1), rolledBack);
        Assert.Equal(1u, await cluster.Registry.GetCurrentVersionAsync());
        ModelVersions versions = await registry.GetVersionsAsync();
        Assert.Equal(1u, versions.Current);
        Assert.Equal([1u, 2u], versions.Versions);
        foreach (string silo in s_silos)
        {
            Assert.Contains(2u, cluster.Cache(silo).CachedVersions); // the swapped-out version stays loaded for old frames
        }
    }

    [Fact]
    public async Task TheCompareAndSetRefusesAStaleParentAndARollbackToAnUnknownVersionIsModelNotFound()
    {
        await using GrainCluster cluster = await GrainCluster.StartAsync(s_trainer);
        await PublishTinyModelAsync(cluster, 2);
        await PublishTinyModelAsync(cluster, 3);
        IModelRegistryGrain registry = cluster.ModelRegistryGrain;
        Assert.True((await registry.RollbackAsync(3)).Switched); // an operator's choice while a refresh of 1 trains

        ModelSwitchReply stale = await registry.SwitchCurrentAsync(1, 2);
        ModelSwitchReply unknown = await registry.RollbackAsync(9);

        Assert.Equal(new ModelSwitchReply(false, 3), stale);
        Assert.False(unknown.Switched);
        Assert.Equal(3u, unknown.Current);
        Assert.Equal(ErrorCodes.ModelNotFound, unknown.Error!.Code);
        Assert.Equal(3u, await cluster.Registry.GetCurrentVersionAsync());
        await WaitUntilServingAsync(cluster, 3);
    }

    [Fact]
    public async Task ASiloThatMissedTheSwitchCatchesUpByRenewingItsSubscription()
    {
        await using GrainCluster cluster = await GrainCluster.StartAsync(s_trainer, TimeSpan.FromSeconds(1));
        await PublishTinyModelAsync(cluster, 2);

        // Set in Redis behind the grain's back, as if every notice had been lost: no silo is told.
        await cluster.Registry.SetCurrentAsync(2);

        await WaitUntilServingAsync(cluster, 2); // each silo's next renewal answers version 2
    }

    [Fact]
    public async Task AfterItsSiloDiesTheGrainIsReactivatedFromRedisAndTheSilosSubscribeToItAgain()
    {
        await using GrainCluster cluster = await GrainCluster.StartAsync(s_trainer, TimeSpan.FromSeconds(1));
        await PublishTinyModelAsync(cluster, 2);
        IModelRegistryGrain registry = cluster.ModelRegistryGrain;
        IManagementGrain management = cluster.Grains.GetGrain<IManagementGrain>(0);
        Assert.True((await registry.SwitchCurrentAsync(1, 2)).Switched);
        SiloAddress? first = await management.GetActivationAddress(registry);
        InProcessSiloHandle dying = cluster.Cluster.Silos.Single(s => s.SiloAddress.Equals(first!));
        string survivor = s_silos.Single(name => name != dying.Name);

        await cluster.Cluster.KillSiloAsync(dying);
        ModelVersions versions = await RetryAsync(registry.GetVersionsAsync); // until membership declares the silo dead
        SiloAddress? second = await management.GetActivationAddress(registry);
        ModelSwitchReply rolledBack = await registry.RollbackAsync(1);

        Assert.Equal(2u, versions.Current);
        Assert.Equal(cluster.Silo(survivor).SiloAddress, second);
        Assert.Equal(new ModelSwitchReply(true, 1), rolledBack);
        // The new activation knew no subscriber until the survivor renewed; either way the survivor serves version 1.
        await WaitUntilServingAsync(cluster, 1, survivor);
    }

    /// <summary>Publishes a tiny random model as <paramref name="version"/> (not current).</summary>
    private static async Task PublishTinyModelAsync(GrainCluster cluster, uint version)
    {
        string directory = TestPaths.CreateTempDirectory($"grid-registry-v{version}");
        try
        {
            using NativeModel model = NativeModel.Create(new ModelConfig(16, 8, 2, 8, 64), "cpu", version);
            byte[] weights = model.Save();
            ModelDirectory.Write(directory, ModelDirectory.CardFor(model, weights, version), weights);
            Assert.True((await cluster.Registry.ImportAsync(directory)).Imported);
        }
        finally
        {
            TestPaths.DeleteDirectory(directory);
        }
    }

    /// <summary>Waits until the codec grain of each silo (all by default) encodes with <paramref name="version"/>.</summary>
    private static async Task WaitUntilServingAsync(GrainCluster cluster, uint version, params string[] silos)
    {
        using var deadline = new CancellationTokenSource(s_wait);
        var pixels = new ImagePixels(16, 16, new byte[16 * 16 * 3]);
        foreach (string silo in silos.Length == 0 ? s_silos : silos)
        {
            ICodecGrain codec = cluster.Grains.GetGrain<ICodecGrain>(new CodecGrainKey("cpu", silo).ToString());
            while ((await codec.EncodeAsync(pixels.AsImmutable(), FrameQuality.Standard)).ValueOrThrow().ModelVersion != version)
            {
                await Task.Delay(20, deadline.Token);
            }
            Assert.Equal(version, cluster.Cache(silo).CurrentVersion);
        }
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        using var deadline = new CancellationTokenSource(s_wait);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (e is OrleansException or TimeoutException && !deadline.IsCancellationRequested)
            {
                await Task.Delay(100, deadline.Token);
            }
        }
    }
}

using Grid.Diagnostics;
using Grid.Grains.Abstractions;
using Grid.Grains.Models;
using Grid.Grains.Placement;
using Grid.Grains.Serving;
using Grid.Grains.Streams;
using Grid.Grains.Training;
using Grid.Imaging;
using Grid.Runtime.Tests.Native;
using Grid.Runtime.Tests.Training;
using Grid.Storage.Models;
using Grid.Storage.Streams;
using Grid.TestSupport;
using Grid.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace Grid.Runtime.Tests.Grains;

/// <summary>
/// A real Orleans test cluster of two in-process silos (<c>Silo_0</c>, <c>Silo_1</c>) on a real redis-server: the
/// grid's grains with their real collaborators (Redis stores, model registry and cache, codec batcher, refresh
/// runner, the native library), the trainer's reminder in Redis, device placement from silo metadata, each silo's
/// subscription to the model registry grain; every CPU silo's model cache is started (version 1 loaded). One per test:
/// the trainer and model keys are global in Redis.
/// </summary>
internal sealed class GrainCluster : IAsyncDisposable
{
    private static readonly Lazy<string> s_colourModel = new(() => RefreshContent.TrainColourModel(1));

    private GrainCluster(RedisServer server, RedisConnection redis, InProcessTestCluster cluster, TrainerOptions trainer)
    {
        Server = server;
        Redis = redis;
        Cluster = cluster;
        TrainerOptions = trainer;
        Registry = new ModelRegistry(redis);
        Streams = new StreamStore(redis);
        Cycles = new CycleLog(redis);
    }

    public RedisServer Server { get; }

    public RedisConnection Redis { get; }

    public InProcessTestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.Client;

    public TrainerOptions TrainerOptions { get; }

    public ModelRegistry Registry { get; }

    public StreamStore Streams { get; }

    public CycleLog Cycles { get; }

    /// <summary>Starts Redis (the colour model as current version 1) and the cluster; <paramref name="devices"/> gives each silo's device.</summary>
    public static Task<GrainCluster> StartAsync(TrainerOptions trainer, params string[] devices) =>
        StartAsync(trainer, new ModelCacheOptions().ResubscribeInterval, devices);

    /// <summary>As above, with each silo renewing its model registry subscription every <paramref name="resubscribe"/>.</summary>
    public static async Task<GrainCluster> StartAsync(TrainerOptions trainer, TimeSpan resubscribe, params string[] devices)
    {
        NativeTestData.EnsureRuntime();
        string model = s_colourModel.Value;
        devices = devices.Length == 0 ? ["cpu", "cpu"] : devices;
        RedisServer server = await RedisServer.StartAsync();
        RedisConnection redis = await RedisConnection.ConnectAsync(server.ConnectionString);
        Assert.Equal(1u, await new ModelRegistry(redis).EnsureCurrentAsync(model));

        var builder = new InProcessTestClusterBuilder((short)devices.Length);
        builder.ConfigureSilo((options, silo) =>
        {
            string name = options.SiloName;
            string device = devices[int.Parse(name[(name.LastIndexOf('_') + 1)..], System.Globalization.CultureInfo.InvariantCulture)];
            silo.UseRedisReminderService(o => o.ConfigurationOptions = ConfigurationOptions.Parse(server.ConnectionString));
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            silo.AddDevicePlacement(device, name);
            silo.AddModelRegistrySubscription();
            IServiceCollection services = silo.Services;
            services.AddSingleton(TimeProvider.System);
            services.AddSingleton(_ => GridMetrics.CreateUnshared());
            services.AddSingleton(_ => RedisConnection.Connect(server.ConnectionString));
            services.AddSingleton(sp => new ModelRegistry(sp.GetRequiredService<RedisConnection>()));
            services.AddSingleton(sp => new StreamStore(sp.GetRequiredService<RedisConnection>()));
            services.AddSingleton(new StreamCodingOptions());
            services.AddSingleton<StoredFrames>();
            services.AddSingleton(sp => new ReservoirStore(sp.GetRequiredService<RedisConnection>(), trainer));
            services.AddSingleton(sp => new CycleLog(sp.GetRequiredService<RedisConnection>()));
            services.AddSingleton(sp => new RefreshRunner(
                sp.GetRequiredService<ModelRegistry>(), sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<ReservoirStore>(), sp.GetRequiredService<CycleLog>(),
                sp.GetRequiredService<StreamStore>(), trainer, name, NullLogger<RefreshRunner>.Instance,
                sp.GetRequiredService<GridMetrics>(), TimeProvider.System));
            services.AddSingleton(new ModelCacheOptions { Device = device, ResubscribeInterval = resubscribe });
            services.AddSingleton(sp => new ModelCache(
                sp.GetRequiredService<ModelRegistry>(), sp.GetRequiredService<ModelCacheOptions>(), NullLogger<ModelCache>.Instance, sp.GetRequiredService<GridMetrics>()));
            services.AddSingleton(sp => new CodecBatcher(
                sp.GetRequiredService<ModelCache>(), new CodecGrainOptions { Device = device }, NullLogger<CodecBatcher>.Instance, sp.GetRequiredService<GridMetrics>()));
        });
        InProcessTestCluster cluster = builder.Build();
        await cluster.DeployAsync();
        foreach (InProcessSiloHandle silo in cluster.Silos)
        {
            // As the silo's ModelBootstrapper does; a silo that only claims a GPU (placement tests on a CPU machine) loads nothing.
            ModelCache cache = silo.ServiceProvider.GetRequiredService<ModelCache>();
            if (silo.ServiceProvider.GetRequiredService<ModelCacheOptions>().Device == "cpu")
            {
                await cache.StartAsync();
            }
        }
        return new GrainCluster(server, redis, cluster, trainer);
    }

    /// <summary>The model cache of the silo named <paramref name="name"/>.</summary>
    public ModelCache Cache(string name) => Silo(name).ServiceProvider.GetRequiredService<ModelCache>();

    /// <summary>The model registry grain.</summary>
    public IModelRegistryGrain ModelRegistryGrain => Grains.GetGrain<IModelRegistryGrain>(0);

    /// <summary>Writes chart samples into the reservoir of two streams, as the silos' samplers would.</summary>
    public async Task FillReservoirAsync(int train, int heldOut, int firstSeed = 0)
    {
        var store = new ReservoirStore(Redis, TrainerOptions);
        for (int i = 0; i < train + heldOut; i++)
        {
            bool held = i >= train;
            string member = i % 2 == 0 ? "t/a" : "t/b";
            long slot = (await store.ReserveAsync(member, held, 0.5))!.Value;
            await store.WriteAsync(member, held, slot, firstSeed + i, Png.Encode(RefreshContent.Chart(64, 64, firstSeed + i)));
        }
    }

    /// <summary>The handle of the silo named <paramref name="name"/>.</summary>
    public InProcessSiloHandle Silo(string name) => Cluster.Silos.Single(s => s.Name == name);

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Redis.Dispose();
        await Server.DisposeAsync();
    }
}

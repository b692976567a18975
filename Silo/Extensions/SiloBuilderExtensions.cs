using Grid.Diagnostics;
using Grid.Grains.Models;
using Grid.Grains.Streams;
using Grid.Storage.Models;
using Grid.Grains.Serving;
using Grid.Storage.Streams;
using Grid.Grains.Training;
using Grid.Training;
using Grid.Silo.Cluster;
using Grid.Silo.Health;
using Grid.Silo.Hosting;
using Grid.Silo.Http;
using Grid.Silo.Options;
using Grid.Silo.Security;
using Grid.Silo.Streams;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Grid.Silo.Extensions;

/// <summary>The silo's service wiring.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Health check tag of the readiness probe.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Health check tag of the startup probe.</summary>
    public const string StartupTag = "startup";

    /// <summary>Short command-line switches and the settings they set.</summary>
    public static IReadOnlyDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>
    {
        ["--redis"] = "Grid:Redis",
        ["--device"] = "Grid:Device",
        ["--precision"] = "Grid:Precision",
        ["--model"] = "Grid:Model",
        ["--name"] = "Grid:Name",
        ["--threads"] = "Grid:CodecThreads",
        ["--lanes"] = "Grid:CodecLanes",
        ["--silo-port"] = "Grid:Cluster:SiloPort",
        ["--gateway-port"] = "Grid:Cluster:GatewayPort",
    };

    /// <summary>
    /// Adds the silo: options (section "Grid", validated at start), Redis, the model registry and cache, the codec
    /// grain, stream grains, the frame sampler and training grain, health checks, metrics and graceful drain; the Orleans silo.
    /// </summary>
    public static WebApplicationBuilder AddGridSilo(this WebApplicationBuilder builder, string[] args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string>(SwitchMappings));
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(SiloDefaults.Urls);
        }
        builder.AddGridOrleans();

        builder.AddGridSecurity();
        builder.AddGridTracing();
        IServiceCollection services = builder.Services;
        services.AddOptions<SiloOptions>()
            .Bind(builder.Configuration.GetSection(SiloOptions.SectionName))
            .PostConfigure(o => o.Model = o.Model switch { null => SiloDefaults.ModelDirectory(), "" => null, _ => o.Model }) // "": import nothing
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SiloOptions>, SiloOptionsValidator>();
        services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(30);
            // Kestrel must not wait for Orleans: the Orleans start waits for Redis (RedisStartGate) and the health
            // endpoints say why meanwhile. Stopping stays sequential (reverse order), so the drain runs first.
            o.ServicesStartConcurrently = true;
        });
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<SiloOptions>>((kestrel, silo) =>
            kestrel.Limits.MaxRequestBodySize = silo.Value.MaxBodyBytes);

        services.AddSingleton(TimeProvider.System);
        services.AddGridMetrics();
        services.AddSingleton<SiloState>();
        services.AddSingleton(sp => RedisConnection.Connect(sp.GetRequiredService<IOptions<SiloOptions>>().Value.Redis));
        services.AddSingleton(sp => new StreamStore(sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ModelRegistry(sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            SiloOptions o = sp.GetRequiredService<IOptions<SiloOptions>>().Value;
            return new ModelCacheOptions { Device = o.Device, Lanes = o.EffectiveCodecLanes, Capacity = o.ModelCacheSize, ResubscribeInterval = TimeSpan.FromSeconds(o.ModelResubscribeSeconds) };
        });
        services.AddSingleton<ModelCache>();
        services.AddSingleton(sp =>
        {
            SiloOptions o = sp.GetRequiredService<IOptions<SiloOptions>>().Value;
            return new CodecBatcher(
                sp.GetRequiredService<ModelCache>(),
                new CodecGrainOptions
                {
                    Device = o.Device,
                    Lanes = o.EffectiveCodecLanes,
                    MaxBatch = o.MaxBatch,
                    MaxDelay = TimeSpan.FromMilliseconds(o.MaxDelayMs),
                    MaxQueue = o.MaxQueue,
                    MaxImageSide = o.MaxImageSide,
                },
                sp.GetRequiredService<ILogger<CodecBatcher>>(),
                sp.GetRequiredService<GridMetrics>());
        });
        services.AddSingleton(sp => new ReservoirStore(
            sp.GetRequiredService<RedisConnection>(),
            sp.GetRequiredService<IOptions<SiloOptions>>().Value.Trainer,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new FrameSampler(
            sp.GetRequiredService<ReservoirStore>(),
            sp.GetRequiredService<IOptions<SiloOptions>>().Value.Trainer,
            sp.GetRequiredService<ILogger<FrameSampler>>(),
            sp.GetRequiredService<GridMetrics>()));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SiloOptions>>().Value.Trainer);
        services.AddSingleton(sp => new CycleLog(
            sp.GetRequiredService<RedisConnection>(),
            sp.GetRequiredService<TrainerOptions>().CycleHistory,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new RefreshRunner(
            sp.GetRequiredService<ModelRegistry>(),
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<ReservoirStore>(),
            sp.GetRequiredService<CycleLog>(),
            sp.GetRequiredService<StreamStore>(),
            sp.GetRequiredService<TrainerOptions>(),
            sp.GetRequiredService<SiloIdentity>().Name,
            sp.GetRequiredService<ILogger<RefreshRunner>>(),
            sp.GetRequiredService<GridMetrics>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SiloOptions>>().Value.Streams);
        services.AddSingleton<StoredFrames>();
        services.AddSingleton<RecordDecoder>();
        services.AddSingleton<SiloIdentity>();
        services.AddSingleton<ClusterView>();
        services.AddSingleton<LocalCodec>();
        services.AddSingleton<StreamAppender>();

        services.AddHostedService<ModelBootstrapper>();
        services.AddHostedService<DrainService>();
        services.AddHostedService<ReservoirWriterService>();
        services.AddHostedService<TrainerStarter>();

        services.AddHealthChecks()
            .AddCheck<ModelLoadedCheck>("model", tags: [ReadyTag, StartupTag])
            .AddCheck<ClusterMemberCheck>("cluster", tags: [ReadyTag, StartupTag])
            .AddCheck<RedisCheck>("redis", tags: [ReadyTag])
            .AddCheck<NotDrainingCheck>("draining", tags: [ReadyTag]);
        return builder;
    }
}

using Grid.Codec;
using Grid.TestSupport;

namespace Grid.Silo.Tests;

/// <summary>
/// One redis-server, one tiny model (version 1) and one silo for the "silo" collection. Tests isolate themselves by
/// using a tenant of their own. The silo runs with small limits so that limit tests stay cheap: 1 MiB bodies,
/// images up to 1024 px, no rate limit on admin routes.
/// </summary>
public sealed class SiloFixture : IAsyncLifetime
{
    public const long MaxBodyBytes = 1 << 20;
    public const int MaxImageSide = 1024;

    private RedisServer? _redis;
    private SiloProcess? _silo;
    private VqCodec? _codec;

    public RedisServer Redis => _redis ?? throw new InvalidOperationException("fixture not started");

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("fixture not started");

    /// <summary>The model directory of version 1.</summary>
    public string ModelDirectory { get; private set; } = string.Empty;

    /// <summary>Version 1 in this process, to compare the silo's results with. Not thread-safe (tests of a collection run one at a time).</summary>
    public VqCodec Codec => _codec ?? throw new InvalidOperationException("fixture not started");

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ModelDirectory = TinyModel.Write(1);
        _codec = VqCodec.Load(ModelDirectory);
        _redis = await RedisServer.StartAsync();
        _silo = await StartSiloAsync("silo-a");
        Client = _silo.CreateClient();
    }

    /// <summary>Starts another silo on the fixture's Redis (the caller disposes it).</summary>
    public Task<SiloProcess> StartSiloAsync(string name, params string[] settings) => SiloProcess.StartAsync(new SiloProcessOptions
    {
        Redis = Redis.ConnectionString,
        Model = ModelDirectory,
        Name = name,
        // Admin routes unlimited: the collection's tests create many keys with the admin key (RateLimitTests sets its own).
        // Two codec lanes (of one thread each), so every API test also runs through side-by-side batches.
        // Orleans' own probe timings rather than the product's fast ones: these silos share one cluster, and on a busy
        // machine a silo that stalls for 2-3 s while starting was declared dead by the others and exited (134). No
        // test of this collection measures failure detection (ChaosTests does, with its own silos and timings).
        Settings = [$"MaxBodyBytes={MaxBodyBytes}", $"MaxImageSide={MaxImageSide}", "CodecThreads=1", "CodecLanes=2", "Limits:AdminRequestsPerMinute=0",
            "Cluster:ProbeTimeoutSeconds=5", "Cluster:MissedProbesLimit=3", .. settings],
    });

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
        _codec?.Dispose();
        TestPaths.DeleteDirectory(ModelDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFixture>
{
    public const string Name = "silo";
}

using Grid.Codec;
using Grid.Diagnostics;
using Grid.Imaging;
using Grid.Grains.Models;
using Grid.Storage.Models;
using Grid.Native;
using Grid.Grains.Serving;
using Grid.Storage.Streams;
using Grid.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grid.Runtime.Tests.Serving;

/// <summary>A redis-server of its own (model keys are global), a registry with tiny models, a cache and a codec grain.</summary>
internal sealed class ServingHarness : IAsyncDisposable
{
    public const int CodebookSize = 500;

    private readonly List<string> _directories = [];

    private ServingHarness(RedisServer server, RedisConnection redis)
    {
        Server = server;
        Redis = redis;
        Registry = new ModelRegistry(redis);
        Samples = new MetricSamples(Metrics);
    }

    public RedisServer Server { get; }

    public RedisConnection Redis { get; }

    public ModelRegistry Registry { get; }

    public GridMetrics Metrics { get; } = GridMetrics.CreateUnshared();

    public MetricSamples Samples { get; }

    public ModelCache? Cache { get; private set; }

    public CodecBatcher? Grain { get; private set; }

    public static async Task<ServingHarness> StartAsync()
    {
        RedisServer server = await RedisServer.StartAsync();
        return new ServingHarness(server, await RedisConnection.ConnectAsync(server.ConnectionString));
    }

    /// <summary>Writes a tiny model directory of <paramref name="version"/>.</summary>
    public string WriteModel(uint version, ulong seed)
    {
        string directory = TestPaths.CreateTempDirectory($"grid-serving-v{version}");
        _directories.Add(directory);
        using NativeModel model = NativeModel.Create(new ModelConfig(16, 8, 2, 8, CodebookSize), "cpu", seed);
        byte[] weights = model.Save();
        ModelDirectory.Write(directory, ModelDirectory.CardFor(model, weights, version), weights);
        return directory;
    }

    /// <summary>Publishes version 1, makes it current and starts a cache and a grain with <paramref name="options"/>.</summary>
    public async Task<CodecBatcher> StartGrainAsync(CodecGrainOptions options, int cacheCapacity = 4)
    {
        await Registry.EnsureCurrentAsync(WriteModel(1, seed: 1));
        Cache = new ModelCache(Registry, new ModelCacheOptions { Capacity = cacheCapacity, Lanes = options.Lanes }, NullLogger<ModelCache>.Instance, Metrics);
        await Cache.StartAsync();
        Grain = new CodecBatcher(Cache, options, NullLogger<CodecBatcher>.Instance, Metrics);
        return Grain;
    }

    public static RgbImage Image(int side, int seed)
    {
        var image = new RgbImage(side, side);
        for (int i = 0; i < image.Pixels.Length; i++)
        {
            image.Pixels[i] = (byte)((i * 7) + (seed * 13));
        }
        return image;
    }

    /// <summary>A sample value of what the instruments recorded, e.g. <c>grid_codec_batch_size_count</c>.</summary>
    public double Sample(string series) => Samples.Sample(series);

    public async ValueTask DisposeAsync()
    {
        if (Grain is not null)
        {
            await Grain.DisposeAsync();
        }
        if (Cache is not null)
        {
            await Cache.DisposeAsync();
        }
        Samples.Dispose();
        Metrics.Dispose();
        Redis.Dispose();
        await Server.DisposeAsync();
        foreach (string directory in _directories)
        {
            TestPaths.DeleteDirectory(directory);
        }
    }
}

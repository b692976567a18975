using System.Collections.Concurrent;
using System.Net;
using Grid.Contracts.Api;
using Grid.Codec;
using Grid.Imaging;
using Grid.Storage.Models;
using Grid.Storage.Streams;
using Grid.TestSupport;
using Xunit.Abstractions;

namespace Grid.Silo.Tests;

/// <summary>Hot swaps while clients encode, append and decode without pause: no request may fail (a silo of its own).</summary>
public sealed class HotSwapUnderLoadTests(ITestOutputHelper output)
{
    private const int Versions = 6;

    [Fact]
    public async Task NoRequestFailsWhileTheCurrentModelIsSwappedRepeatedly()
    {
        string[] models = [.. Enumerable.Range(1, Versions).Select(v => TinyModel.Write((uint)v, seed: (ulong)v))];
        await using RedisServer redis = await RedisServer.StartAsync();
        await using SiloProcess silo = await TrainerSilo.StartAsync(redis, models[0], "swap-load", "CodecThreads=1", "ModelCacheSize=2", "Trainer:Enabled=false");
        using HttpClient client = silo.CreateClient();
        using RedisConnection connection = await RedisConnection.ConnectAsync(redis.ConnectionString);
        var registry = new ModelRegistry(connection);
        byte[] png = TestImages.Png(32, 32, seed: 4);
        string tenant = Api.NewTenant();
        var failures = new ConcurrentQueue<string>();
        var frames = new ConcurrentBag<byte[]>();
        var seen = new ConcurrentDictionary<string, int>();
        int requests = 0;
        using var stop = new CancellationTokenSource();

        async Task Load(int worker)
        {
            long sequence = 0;
            while (!stop.IsCancellationRequested)
            {
                // Encode, append to the worker's stream, and decode a frame of some earlier version (often evicted).
                using HttpResponseMessage encoded = await client.PostAsync("v1/encode", Api.Body(png, GridMediaTypes.Png));
                Record(encoded, HttpStatusCode.OK, "encode");
                if (encoded.IsSuccessStatusCode)
                {
                    frames.Add(await encoded.Content.ReadAsByteArrayAsync());
                    seen.AddOrUpdate(encoded.Headers.GetValues(GridHeaders.ModelVersion).Single(), 1, (_, n) => n + 1);
                }
                using HttpResponseMessage appended = await client.SendAsync(Api.Append(tenant, $"w{worker}", png, sequence++));
                Record(appended, HttpStatusCode.Created, "append");
                byte[] old = frames.ElementAt(Random.Shared.Next(frames.Count));
                using HttpResponseMessage decoded = await client.PostAsync("v1/decode?format=ppm", Api.Body(old, GridMediaTypes.Frame));
                Record(decoded, HttpStatusCode.OK, "decode");
                Interlocked.Add(ref requests, 3);
            }
        }

        void Record(HttpResponseMessage response, HttpStatusCode expected, string what)
        {
            if (response.StatusCode != expected)
            {
                failures.Enqueue($"{what}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().Result}");
            }
        }

        Task[] workers = [.. Enumerable.Range(0, 4).Select(w => Task.Run(() => Load(w)))];
        for (int v = 2; v <= Versions; v++)
        {
            await Task.Delay(400);
            await registry.ImportAsync(models[v - 1]);
            // Through the registry grain (the admin endpoint), which tells the silo at once.
            using HttpResponseMessage switched = await client.PostAsync($"v1/models/rollback?version={v}", null);
            Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
            await TrainerSilo.WaitForCurrentAsync(client, (uint)v, TimeSpan.FromSeconds(30));
        }
        await Task.Delay(400);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        output.WriteLine($"{requests} requests over {Versions - 1} swaps; encodes per version: {string.Join(", ", seen.OrderBy(p => p.Key).Select(p => $"v{p.Key} {p.Value}"))}");
        Assert.Empty(failures);
        Assert.Equal(Versions, seen.Count); // every version served encodes
        // Every appended frame replays decoded with the version it names.
        List<StreamRecord> replay = await client.ReplayAsync(tenant, "w0", "?format=ppm");
        List<StreamRecord> stored = await client.ReplayAsync(tenant, "w0", "?format=vqf");
        Assert.True(stored.Select(r => r.ModelVersion).Distinct().Count() > 1);
        for (int i = 0; i < stored.Count; i++)
        {
            using VqCodec codec = VqCodec.Load(models[stored[i].ModelVersion - 1]);
            Assert.Equal(codec.Decode(stored[i].Payload).Pixels, Ppm.Decode(replay[i].Payload).Pixels);
        }
        foreach (string model in models)
        {
            TestPaths.DeleteDirectory(model);
        }
    }
}

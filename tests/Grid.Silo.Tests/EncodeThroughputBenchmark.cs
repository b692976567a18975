using System.Diagnostics;
using System.Net;
using Grid.Contracts.Api;
using Grid.Grains.Codec;
using Grid.Grains.Native;
using Grid.TestSupport;
using Xunit.Abstractions;

namespace Grid.Silo.Tests;

/// <summary>
/// Encode throughput over HTTP with a full-size (untrained, so same compute as a trained) model, batched and
/// unbatched. Not part of normal runs: <c>--filter Category=Benchmark</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class EncodeThroughputBenchmark(ITestOutputHelper output)
{
    private const int Requests = 192;
    private const int Concurrency = 32;

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(16)]
    public async Task EncodeThroughput(int maxBatch)
    {
        string model = TestPaths.CreateTempDirectory("grid-model-full");
        using (NativeModel full = NativeModel.Create(new ModelConfig(), "cpu", seed: 1))
        {
            byte[] weights = full.Save();
            ModelDirectory.Write(model, ModelDirectory.CardFor(full, weights, 1), weights);
        }
        await using RedisServer redis = await RedisServer.StartAsync();
        await using SiloProcess silo = await SiloProcess.StartAsync(new SiloProcessOptions
        {
            Redis = redis.ConnectionString,
            Model = model,
            Name = "bench",
            Settings = [$"MaxBatch={maxBatch}", "MaxDelayMs=5", "MaxQueue=1024", $"CodecThreads={Environment.ProcessorCount}"],
        });
        using HttpClient client = silo.CreateClient();
        byte[] png = TestImages.Png(128, 128, seed: 1);
        for (int i = 0; i < 8; i++)
        {
            await client.EncodeAsync(png); // warm-up
        }

        var latencies = new double[Requests];
        int next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Requests)
            {
                long started = Stopwatch.GetTimestamp();
                using HttpResponseMessage response = await client.PostAsync("v1/encode", Api.Body(png, GridMediaTypes.Png));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
        double seconds = clock.Elapsed.TotalSeconds;
        string metrics = await client.GetStringAsync("metrics");
        Array.Sort(latencies);
        string batches = string.Join(' ', metrics.Split('\n').Where(l => l.StartsWith("grid_codec_batch_size_", StringComparison.Ordinal) && !l.Contains("le=", StringComparison.Ordinal)));
        output.WriteLine($"MaxBatch {maxBatch}: {Requests / seconds:0.0} images/s (128x128, {Concurrency} concurrent), " +
            $"latency p50 {latencies[Requests / 2]:0} ms, p99 {latencies[(int)(Requests * 0.99)]:0} ms; {batches}");
        TestPaths.DeleteDirectory(model);
    }
}

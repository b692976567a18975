using System.Diagnostics;
using System.Globalization;
using System.Net;
using Grid.Contracts.Api;
using Grid.TestSupport;
using Xunit.Abstractions;

namespace Grid.Silo.Tests;

/// <summary>
/// Encode throughput over HTTP with a full-size (untrained, so same compute as a trained) model: one silo batching
/// (MaxBatch 16) and one not (MaxBatch 1), measured in alternating rounds so that load from other processes on a shared
/// machine hits both alike. Not part of normal runs: <c>--filter Category=Benchmark</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class EncodeThroughputBenchmark(ITestOutputHelper output)
{
    private const int RequestsPerRound = 96;
    private const int Concurrency = 32;
    private const int Rounds = 3;

    [Fact]
    public async Task BatchedAgainstUnbatchedEncodeThroughput()
    {
        string model = TinyModel.WriteFullSize();
        await using RedisServer redis = await RedisServer.StartAsync();
        string threads = "CodecThreads=" + Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        await using SiloProcess batched = await SiloProcess.StartAsync(new SiloProcessOptions
        {
            Redis = redis.ConnectionString, Model = model, Name = "batched", Settings = ["MaxBatch=16", "MaxDelayMs=5", "MaxQueue=1024", threads],
        });
        await using SiloProcess single = await SiloProcess.StartAsync(new SiloProcessOptions
        {
            Redis = redis.ConnectionString, Model = model, Name = "single", Settings = ["MaxBatch=1", "MaxQueue=1024", threads],
        });
        byte[] png = TestImages.Png(128, 128, seed: 1);
        using HttpClient batchedClient = batched.CreateClient();
        using HttpClient singleClient = single.CreateClient();
        await RoundAsync(batchedClient, png, 16);
        await RoundAsync(singleClient, png, 16);

        var results = new List<(string Silo, double PerSecond, double P50, double P99)>();
        for (int round = 0; round < Rounds; round++)
        {
            (double perSecond, double p50, double p99) = await RoundAsync(batchedClient, png, RequestsPerRound);
            results.Add(("MaxBatch 16", perSecond, p50, p99));
            (perSecond, p50, p99) = await RoundAsync(singleClient, png, RequestsPerRound);
            results.Add(("MaxBatch 1", perSecond, p50, p99));
        }
        foreach ((string silo, double perSecond, double p50, double p99) in results)
        {
            output.WriteLine($"{silo}: {perSecond:0.0} images/s (128x128, {Concurrency} concurrent), latency p50 {p50:0} ms, p99 {p99:0} ms");
        }
        output.WriteLine("batched: " + BatchSizes(await batchedClient.GetStringAsync("metrics")));
        TestPaths.DeleteDirectory(model);
    }

    private static async Task<(double PerSecond, double P50, double P99)> RoundAsync(HttpClient client, byte[] png, int requests)
    {
        var latencies = new double[requests];
        int next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                long started = Stopwatch.GetTimestamp();
                using HttpResponseMessage response = await client.PostAsync("v1/encode", Api.Body(png, GridMediaTypes.Png));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
        double seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return (requests / seconds, latencies[requests / 2], latencies[Math.Min(requests - 1, (int)(requests * 0.99))]);
    }

    private static string BatchSizes(string metrics) => string.Join(' ', metrics.Split('\n')
        .Where(l => l.StartsWith("grid_codec_batch_size_", StringComparison.Ordinal) && !l.Contains("le=", StringComparison.Ordinal)));
}

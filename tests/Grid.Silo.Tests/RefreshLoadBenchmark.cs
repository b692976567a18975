using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Grid.Contracts.Api;
using Grid.Imaging;
using Grid.Runtime.Tests.Training;
using Grid.TestSupport;
using Xunit.Abstractions;

namespace Grid.Silo.Tests;

/// <summary>
/// Whether a refresh cycle starves the codec: encode latency of one request at a time (128x128, the full-size
/// architecture) while idle and while a refresh runs, for the trainer's defaults (1 OpenMP thread, nice 10) against an
/// unprotected trainer (as many threads as the codec, nice 0), in alternating rounds on two silos (Redis each, so both
/// lead). Not part of normal runs: <c>--filter Category=Benchmark</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class RefreshLoadBenchmark(ITestOutputHelper output)
{
    private const int Encodes = 30;
    private const int Rounds = 2;

    [Fact]
    public async Task EncodeLatencyWhileARefreshRuns()
    {
        string model = TinyModel.WriteFullSize();
        string cores = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        (string Name, string[] Settings)[] variants =
        [
            ("trainer 1 thread, nice 10 (default)", ["Trainer:Threads=1", "Trainer:Nice=10"]),
            ($"trainer {cores} threads, nice 0", [$"Trainer:Threads={cores}", "Trainer:Nice=0"]),
        ];
        var servers = new List<RedisServer>();
        var silos = new List<SiloProcess>();
        var clients = new List<HttpClient>();
        try
        {
            foreach ((string name, string[] settings) in variants)
            {
                RedisServer redis = await RedisServer.StartAsync();
                servers.Add(redis);
                SiloProcess silo = await TrainerSilo.StartAsync(redis, model, $"load-{silos.Count}",
                [
                    "CodecThreads=" + cores, "Trainer:SampleEvery=1", "Trainer:HeldOutEvery=4", "Trainer:RefreshMinutes=0", "Trainer:FineTuneSteps=300",
                    "Trainer:KMeansCrops=64", "Trainer:MinTrainSamples=8", "Trainer:MinHeldOutSamples=2", .. settings,
                ]);
                silos.Add(silo);
                HttpClient client = silo.CreateClient();
                clients.Add(client);
                for (int i = 0; i < 40; i++)
                {
                    await client.AppendAsync("bench", "charts", Png.Encode(RefreshContent.Chart(128, 128, i)), i);
                }
            }
            byte[] png = TestImages.Png(128, 128, seed: 3);
            foreach (HttpClient client in clients)
            {
                await LatenciesAsync(client, png, 5); // warm-up
            }
            for (int round = 0; round < Rounds; round++)
            {
                for (int v = 0; v < variants.Length; v++)
                {
                    double[] idle = await LatenciesAsync(clients[v], png, Encodes);
                    using HttpResponseMessage requested = await clients[v].PostAsync("v1/models/refresh", null);
                    RefreshCycle cycle = (await requested.Content.ReadFromJsonAsync<RefreshCycle>(GridJson.Options))!;
                    await WaitForStatusAsync(clients[v], cycle.Id, CycleStatus.Running);
                    await Task.Delay(TimeSpan.FromSeconds(6)); // past reading the reservoir and the k-means refit: fine-tuning
                    double[] busy = await LatenciesAsync(clients[v], png, Encodes);
                    RefreshCycle done = await WaitForStatusAsync(clients[v], cycle.Id, null);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{variants[v].Name}: encode p50 {P(idle, 0.5):0} ms, p90 {P(idle, 0.9):0} ms idle; p50 {P(busy, 0.5):0} ms, p90 {P(busy, 0.9):0} ms during the refresh; the cycle took {done.DurationSeconds:0.0} s ({done.Status})"));
                }
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
            foreach (SiloProcess silo in silos)
            {
                await silo.DisposeAsync();
            }
            foreach (RedisServer redis in servers)
            {
                await redis.DisposeAsync();
            }
            TestPaths.DeleteDirectory(model);
        }
    }

    private static async Task<double[]> LatenciesAsync(HttpClient client, byte[] png, int count)
    {
        double[] latencies = new double[count];
        for (int i = 0; i < count; i++)
        {
            long started = Stopwatch.GetTimestamp();
            using HttpResponseMessage response = await client.PostAsync("v1/encode", Api.Body(png, GridMediaTypes.Png));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(latencies);
        return latencies;
    }

    /// <summary>Polls the cycle until it has <paramref name="status"/> (null: any final status).</summary>
    private static async Task<RefreshCycle> WaitForStatusAsync(HttpClient client, long id, string? status)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        while (true)
        {
            RefreshCycle cycle = (await client.GetFromJsonAsync<RefreshCycle>($"v1/models/cycles/{id}", GridJson.Options, timeout.Token))!;
            if (status is null ? CycleStatus.IsFinal(cycle.Status) : cycle.Status == status || CycleStatus.IsFinal(cycle.Status))
            {
                return cycle;
            }
            await Task.Delay(100, timeout.Token);
        }
    }

    private static double P(double[] sorted, double quantile) => sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * quantile))];
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using Grid.TestSupport;
using Xunit.Abstractions;

namespace Grid.Silo.Tests;

/// <summary>
/// What sampling frames into the training reservoir costs the stream path: three silos with the full-size architecture
/// (untrained: same compute as a trained model) on one Redis, sampling off, at the default one frame in ten, and every
/// frame (the worst case), measured in alternating rounds of concurrent 128x128 PNG appends so that load from other
/// processes hits them alike, and by the silo processes' own CPU time per append, which other load does not inflate.
/// Trainer leadership is off on all three (no refresh runs). Not part of normal runs:
/// <c>--filter Category=Benchmark</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class SamplingOverheadBenchmark(ITestOutputHelper output)
{
    private const int AppendsPerRound = 128;
    private const int Clients = 16;
    private const int Rounds = 6;

    [Fact]
    public async Task AppendThroughputWithAndWithoutSampling()
    {
        string model = TinyModel.WriteFullSize();
        await using RedisServer redis = await RedisServer.StartAsync();
        string threads = "CodecThreads=" + Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        (string Name, int Every)[] configurations = [("sampling off", 0), ("1 in 10 (default)", 10), ("every frame", 1)];
        var silos = new List<SiloProcess>();
        var clients = new List<HttpClient>();
        try
        {
            foreach ((string name, int every) in configurations)
            {
                SiloProcess silo = await SiloProcess.StartAsync(new SiloProcessOptions
                {
                    Redis = redis.ConnectionString, Model = model, Name = $"sampling-{every}",
                    Settings = ["MaxQueue=1024", threads, "Trainer:Enabled=false", $"Trainer:SampleEvery={every}", "Trainer:SampleQueue=64"],
                });
                silos.Add(silo);
                clients.Add(silo.CreateClient());
            }
            byte[][] images = [.. Enumerable.Range(0, 32).Select(i => TestImages.Png(128, 128, seed: i))];
            long[] sequences = new long[configurations.Length * Clients];
            for (int c = 0; c < configurations.Length; c++)
            {
                await RoundAsync(clients[c], c, images, sequences, 16); // warm-up
            }
            var results = new List<(string Name, double PerSecond, double P50, double P99)>();
            double[] cpuSeconds = new double[configurations.Length];
            for (int round = 0; round < Rounds; round++)
            {
                for (int c = 0; c < configurations.Length; c++)
                {
                    double cpuBefore = CpuSeconds(silos[c].ProcessId);
                    (double perSecond, double p50, double p99) = await RoundAsync(clients[c], c, images, sequences, AppendsPerRound);
                    await Task.Delay(300); // the sampler's writer finishes what the round queued
                    cpuSeconds[c] += CpuSeconds(silos[c].ProcessId) - cpuBefore;
                    results.Add((configurations[c].Name, perSecond, p50, p99));
                }
            }
            foreach ((string name, double perSecond, double p50, double p99) in results)
            {
                output.WriteLine($"{name}: {perSecond:0.0} appends/s (128x128 PNG, {Clients} concurrent), latency p50 {p50:0} ms, p99 {p99:0} ms");
            }
            for (int c = 0; c < configurations.Length; c++)
            {
                var rounds = results.Where(r => r.Name == configurations[c].Name).ToList();
                output.WriteLine($"{configurations[c].Name}: mean {rounds.Average(r => r.PerSecond):0.0} appends/s, median {rounds.Select(r => r.PerSecond).Order().ElementAt(Rounds / 2):0.0}, " +
                    $"mean p50 {rounds.Average(r => r.P50):0} ms; silo CPU {cpuSeconds[c] * 1000 / (Rounds * AppendsPerRound):0.0} ms per append");
            }
            string sampled = await clients[2].GetStringAsync("metrics");
            output.WriteLine("every frame: " + string.Join(' ', sampled.Split('\n').Where(l => l.StartsWith("grid_train_samples", StringComparison.Ordinal))));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
            foreach (SiloProcess silo in silos)
            {
                await silo.DisposeAsync();
            }
            TestPaths.DeleteDirectory(model);
        }
    }

    /// <summary>User + system CPU time of a process so far (Linux /proc; fields 14 and 15 of stat, in clock ticks of 10 ms).</summary>
    private static double CpuSeconds(int processId)
    {
        string stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>One round: <see cref="Clients"/> clients, each appending in order to a stream of its own.</summary>
    private static async Task<(double PerSecond, double P50, double P99)> RoundAsync(HttpClient client, int silo, byte[][] images, long[] sequences, int appends)
    {
        var latencies = new double[appends];
        int next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async worker =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < appends)
            {
                long sequence = sequences[(silo * Clients) + worker]++;
                long started = Stopwatch.GetTimestamp();
                using HttpResponseMessage response = await client.SendAsync(Api.Append("bench", $"s{silo}-{worker}", images[i % images.Length], sequence));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
        double seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return (appends / seconds, latencies[appends / 2], latencies[Math.Min(appends - 1, (int)(appends * 0.99))]);
    }
}

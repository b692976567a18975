using System.Diagnostics;
using System.Globalization;
using System.Net;
using Grid.Contracts.Api;
using Grid.TestSupport;
using Xunit.Abstractions;

namespace Grid.Silo.Tests;

/// <summary>
/// Pixel admission keeps a small tenant's latency bounded while another tenant sends its largest allowed images
/// (docs/security.md). Two silos with the full-size model, side by side on one Redis: "pixels" with the per-tenant
/// pixel budget (one largest image in flight per tenant), "requests" with budgets so large that only requests count
/// (as before). On each, tenant A keeps <see cref="FloodClients"/> uploads of a <see cref="Side"/>-pixel square image
/// going while tenant B encodes 64x64 images one after another; B's latencies are compared with B alone.
/// Not part of normal runs: <c>--filter Category=Benchmark</c>. <c>GRID_FAIRNESS_SIDE</c> sets the side (default 1024,
/// a run of minutes, with <c>MaxImagePixels</c> lowered to match); <c>GRID_FAIRNESS_SIDE=4096</c> measures the
/// shipped default limit (16.7 MP) on the "pixels" silo only: the "requests" silo would keep B behind four 16.7 MP
/// encodes per request, hours for the run.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class FairnessBenchmark(ITestOutputHelper output)
{
    private const int DefaultLimitSide = 4096;
    private const int FloodClients = 4;

    private static readonly int Side = int.TryParse(Environment.GetEnvironmentVariable("GRID_FAIRNESS_SIDE"), CultureInfo.InvariantCulture, out int side) ? side : 1024;

    private const int SmallRequests = 20;

    /// <summary>At the default limit one large encode takes tens of seconds here: B keeps encoding for this long, so its figures cover several of A's images.</summary>
    private static readonly TimeSpan s_largeWindow = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task SmallEncodesOfOneTenantWhileAnotherSendsItsLargestImages()
    {
        string model = TinyModel.WriteFullSize();
        await using RedisServer redis = await RedisServer.StartAsync();
        bool atDefaultLimit = Side == DefaultLimitSide;
        string[] common = ["MaxBatch=16", "MaxQueue=1024", "CodecThreads=" + Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)];
        if (!atDefaultLimit)
        {
            common = [.. common, "Limits:MaxImagePixels=" + (Side * Side).ToString(CultureInfo.InvariantCulture)];
        }
        // At the default limit the "pixels" silo runs with the shipped pixel budgets (no settings).
        string[] budgets = atDefaultLimit ? [] : [$"Limits:MaxPixelsInFlight={2 * Side * Side}", $"Limits:MaxPixelsInFlightPerTenant={Side * Side}"];
        await using SiloProcess pixels = await SiloProcess.StartAsync(new SiloProcessOptions
        {
            Redis = redis.ConnectionString, Model = model, Name = "pixels", Settings = [.. common, .. budgets],
        });
        await using SiloProcess? requests = Side >= DefaultLimitSide ? null : await SiloProcess.StartAsync(new SiloProcessOptions
        {
            Redis = redis.ConnectionString, Model = model, Name = "requests",
            Settings = [.. common, $"Limits:MaxPixelsInFlight={1000L * Side * Side}", $"Limits:MaxPixelsInFlightPerTenant={1000L * Side * Side}"],
        });
        byte[] large = TestImages.Png(Side, Side, seed: 1);
        byte[] small = TestImages.Png(64, 64, seed: 2);

        foreach (SiloProcess silo in requests is null ? new[] { pixels } : [pixels, requests])
        {
            using HttpClient client = silo.CreateClient();
            double[] alone = await SmallLatenciesAsync(client, small, null);
            using var flooding = new CancellationTokenSource();
            var flood = Enumerable.Range(0, FloodClients).Select(_ => FloodAsync(silo, large, flooding.Token)).ToList();
            // Until the first large image is being encoded (its upload and PNG decode alone take seconds at 16.7 MP).
            await Task.Delay(TimeSpan.FromSeconds(Side >= DefaultLimitSide ? 20 : 2));
            double[] loaded = await SmallLatenciesAsync(client, small, Side >= DefaultLimitSide ? s_largeWindow : null);
            await flooding.CancelAsync();
            List<double>[] floods = await Task.WhenAll(flood);
            double[] largeMs = [.. floods.SelectMany(f => f)];
            string largeLatency = largeMs.Length == 0 ? "none finished" : string.Create(CultureInfo.InvariantCulture, $"p50 {P(largeMs, 0.5):0} ms, max {largeMs.Max():0} ms");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Name(silo, pixels)}: tenant B 64x64 encodes alone p50 {P(alone, 0.5):0} ms max {alone.Max():0} ms; " +
                $"while tenant A sends {Side}x{Side} images from {FloodClients} clients: {loaded.Length} encodes, p50 {P(loaded, 0.5):0} ms, p95 {P(loaded, 0.95):0} ms, max {loaded.Max():0} ms " +
                $"({loaded.Max() / Math.Max(1, alone.Max()):0.0}x alone's max); A's large encodes answered: {string.Join('/', floods.Select(f => f.Count))} ({largeLatency} each)"));
        }
        TestPaths.DeleteDirectory(model);
    }

    private static string Name(SiloProcess silo, SiloProcess pixels) =>
        ReferenceEquals(silo, pixels) ? "pixel admission (one largest image per tenant in flight)" : "requests only (pixel budgets off)";

    /// <summary>Tenant B: 64x64 encodes one after another, <see cref="SmallRequests"/> of them or, with <paramref name="window"/>, for that long.</summary>
    private static async Task<double[]> SmallLatenciesAsync(HttpClient client, byte[] small, TimeSpan? window)
    {
        string key = await RateLimitTests.CreateKeyAsync(client, Api.NewTenant());
        using var request = new HttpClient { BaseAddress = client.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        request.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var latencies = new List<double>();
        var total = Stopwatch.StartNew();
        while (window is { } limit ? total.Elapsed < limit : latencies.Count < SmallRequests)
        {
            var clock = Stopwatch.StartNew();
            using HttpResponseMessage response = await request.PostAsync("v1/encode", Api.Body(small, GridMediaTypes.Png));
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return [.. latencies];
    }

    /// <summary>Tenant A: uploads large images back to back (a 429 is retried after a short pause); returns the latencies of those encoded.</summary>
    private static async Task<List<double>> FloodAsync(SiloProcess silo, byte[] large, CancellationToken stop)
    {
        using HttpClient admin = silo.CreateClient();
        string key = await RateLimitTests.CreateKeyAsync(admin, "flooder");
        using HttpClient client = silo.CreateClient(key);
        client.Timeout = TimeSpan.FromMinutes(10);
        var encoded = new List<double>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var clock = Stopwatch.StartNew();
                using HttpResponseMessage response = await client.PostAsync("v1/encode", Api.Body(large, GridMediaTypes.Png), stop);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    encoded.Add(clock.Elapsed.TotalMilliseconds);
                }
                else
                {
                    await Task.Delay(50, stop);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return encoded;
    }

    private static double P(double[] values, double quantile)
    {
        double[] sorted = [.. values.Order()];
        return sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))];
    }
}

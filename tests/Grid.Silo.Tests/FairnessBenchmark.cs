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
/// Not part of normal runs: <c>--filter Category=Benchmark</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class FairnessBenchmark(ITestOutputHelper output)
{
    private const int Side = 1024;
    private const int FloodClients = 4;
    private const int SmallRequests = 20;

    [Fact]
    public async Task SmallEncodesOfOneTenantWhileAnotherSendsItsLargestImages()
    {
        string model = TinyModel.WriteFullSize();
        await using RedisServer redis = await RedisServer.StartAsync();
        string maxPixels = "Limits:MaxImagePixels=" + (Side * Side).ToString(CultureInfo.InvariantCulture);
        string[] common = ["MaxBatch=16", "MaxQueue=1024", "CodecThreads=" + Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), maxPixels];
        await using SiloProcess pixels = await SiloProcess.StartAsync(new SiloProcessOptions
        {
            Redis = redis.ConnectionString, Model = model, Name = "pixels",
            Settings = [.. common, $"Limits:MaxPixelsInFlight={2 * Side * Side}", $"Limits:MaxPixelsInFlightPerTenant={Side * Side}"],
        });
        await using SiloProcess requests = await SiloProcess.StartAsync(new SiloProcessOptions
        {
            Redis = redis.ConnectionString, Model = model, Name = "requests",
            Settings = [.. common, $"Limits:MaxPixelsInFlight={1000L * Side * Side}", $"Limits:MaxPixelsInFlightPerTenant={1000L * Side * Side}"],
        });
        byte[] large = TestImages.Png(Side, Side, seed: 1);
        byte[] small = TestImages.Png(64, 64, seed: 2);

        foreach (SiloProcess silo in new[] { pixels, requests })
        {
            using HttpClient client = silo.CreateClient();
            double[] alone = await SmallLatenciesAsync(client, small);
            using var flooding = new CancellationTokenSource();
            var flood = Enumerable.Range(0, FloodClients).Select(_ => FloodAsync(silo, large, flooding.Token)).ToList();
            await Task.Delay(TimeSpan.FromSeconds(2));
            double[] loaded = await SmallLatenciesAsync(client, small);
            await flooding.CancelAsync();
            int[] floodCounts = await Task.WhenAll(flood);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Name(silo, pixels)}: tenant B 64x64 encodes alone p50 {P(alone, 0.5):0} ms max {alone.Max():0} ms; " +
                $"while tenant A sends {Side}x{Side} images from {FloodClients} clients: p50 {P(loaded, 0.5):0} ms, p95 {P(loaded, 0.95):0} ms, max {loaded.Max():0} ms " +
                $"({loaded.Max() / Math.Max(1, alone.Max()):0.0}x alone's max); A's large encodes answered: {string.Join('/', floodCounts)}"));
        }
        TestPaths.DeleteDirectory(model);
    }

    private static string Name(SiloProcess silo, SiloProcess pixels) =>
        ReferenceEquals(silo, pixels) ? "pixel admission (one largest image per tenant in flight)" : "requests only (pixel budgets off)";

    private static async Task<double[]> SmallLatenciesAsync(HttpClient client, byte[] small)
    {
        string key = await RateLimitTests.CreateKeyAsync(client, Api.NewTenant());
        using var request = new HttpClient { BaseAddress = client.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        request.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var latencies = new double[SmallRequests];
        for (int i = 0; i < SmallRequests; i++)
        {
            var clock = Stopwatch.StartNew();
            using HttpResponseMessage response = await request.PostAsync("v1/encode", Api.Body(small, GridMediaTypes.Png));
            latencies[i] = clock.Elapsed.TotalMilliseconds;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        return latencies;
    }

    /// <summary>Tenant A: uploads large images back to back (a 429 is retried after a short pause); returns how many were encoded.</summary>
    private static async Task<int> FloodAsync(SiloProcess silo, byte[] large, CancellationToken stop)
    {
        using HttpClient admin = silo.CreateClient();
        string key = await RateLimitTests.CreateKeyAsync(admin, "flooder");
        using HttpClient client = silo.CreateClient(key);
        client.Timeout = TimeSpan.FromMinutes(10);
        int encoded = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using HttpResponseMessage response = await client.PostAsync("v1/encode", Api.Body(large, GridMediaTypes.Png), stop);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    encoded++;
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

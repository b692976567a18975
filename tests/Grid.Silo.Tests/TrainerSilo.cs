using System.Globalization;
using System.Net.Http.Json;
using Grid.Contracts.Api;
using Grid.Evaluation;
using Grid.Imaging;
using Grid.TestSupport;

namespace Grid.Silo.Tests;

/// <summary>Silo settings and requests of the training grain's end-to-end tests.</summary>
internal static class TrainerSilo
{
    /// <summary>
    /// Trainer settings sized for the small refresh-test model: every stored frame sampled, refresh only on request,
    /// a reminder tick every <paramref name="tickSeconds"/>, small crops and a short fine-tune (seconds per cycle).
    /// </summary>
    public static string[] Settings(double tickSeconds = 2, params string[] more) =>
    [
        "CodecThreads=1",
        "Trainer:SampleEvery=1",
        "Trainer:HeldOutEvery=4",
        "Trainer:StreamCapacity=256",
        "Trainer:HeldOutCapacity=64",
        "Trainer:RefreshMinutes=0",
        "Trainer:TickSeconds=" + tickSeconds.ToString(CultureInfo.InvariantCulture),
        "Trainer:Crop=32",
        "Trainer:Batch=8",
        "Trainer:SampleSide=64",
        "Trainer:KMeansCrops=32",
        "Trainer:KMeansIterations=20",
        "Trainer:FineTuneSteps=150",
        "Trainer:LearningRate=0.002",
        "Trainer:MinTrainSamples=8",
        "Trainer:MinHeldOutSamples=2",
        .. more,
    ];

    /// <summary>Asks for a refresh and waits for its outcome (<c>POST /v1/models/refresh?wait=true</c>).</summary>
    public static async Task<RefreshCycle> RefreshAsync(HttpClient client)
    {
        using HttpResponseMessage response = await client.PostAsync("v1/models/refresh?wait=true&timeout=300", null);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"refresh answered {(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonSerializer.Deserialize<RefreshCycle>(body, GridJson.Options)!;
    }

    /// <summary>Waits until the silo encodes with <paramref name="version"/> (the hot swap happens in the background).</summary>
    public static async Task WaitForCurrentAsync(HttpClient client, uint version, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            using HttpResponseMessage response = await client.PostAsync("v1/encode", Api.Body(TestImages.Png(8, 8), GridMediaTypes.Png));
            if (response.Headers.GetValues(GridHeaders.ModelVersion).Single() == version.ToString(CultureInfo.InvariantCulture))
            {
                return;
            }
            await Task.Delay(50, cancel.Token);
        }
    }

    /// <summary>
    /// Mean PSNR of <paramref name="images"/> encoded by the silo's current model and decoded by the silo (the real
    /// frame path), and the model version that encoded them.
    /// </summary>
    public static async Task<(double Psnr, uint Version)> ProbeAsync(HttpClient client, IReadOnlyList<RgbImage> images)
    {
        double sum = 0;
        uint version = 0;
        foreach (RgbImage image in images)
        {
            using HttpResponseMessage encoded = await client.PostAsync("v1/encode", Api.Body(Png.Encode(image), GridMediaTypes.Png));
            encoded.EnsureSuccessStatusCode();
            version = uint.Parse(encoded.Headers.GetValues(GridHeaders.ModelVersion).Single(), CultureInfo.InvariantCulture);
            using HttpResponseMessage decoded = await client.PostAsync("v1/decode?format=png", Api.Body(await encoded.Content.ReadAsByteArrayAsync(), GridMediaTypes.Frame));
            decoded.EnsureSuccessStatusCode();
            sum += ImageMetrics.Psnr(image, Png.Decode(await decoded.Content.ReadAsByteArrayAsync()));
        }
        return (sum / images.Count, version);
    }

    /// <summary>The cluster status.</summary>
    public static async Task<ClusterStatus> StatusAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<ClusterStatus>("v1/status", GridJson.Options))!;

    /// <summary>Starts a silo with the trainer settings on <paramref name="redis"/>.</summary>
    public static Task<SiloProcess> StartAsync(RedisServer redis, string model, string name, params string[] settings) =>
        SiloProcess.StartAsync(new SiloProcessOptions { Redis = redis.ConnectionString, Model = model, Name = name, Settings = settings });
}

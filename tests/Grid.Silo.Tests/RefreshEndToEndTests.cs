using System.Net.Http.Json;
using Grid.Contracts.Api;
using Grid.Codec;
using Grid.Imaging;
using Grid.Storage.Streams;
using Grid.Runtime.Tests.Training;
using Grid.TestSupport;
using Xunit.Abstractions;

namespace Grid.Silo.Tests;

/// <summary>
/// The training grain end to end: a real silo and Redis, a small model trained only on colour gradients, and a stream
/// of grayscale test charts it never saw. Refreshes make newly encoded chart frames sharper, version after version,
/// while every frame stored earlier decodes bit-identically with the version it names.
/// </summary>
public sealed class RefreshEndToEndTests(ITestOutputHelper output)
{
    private const int FramesPerRound = 40;
    private static readonly TimeSpan s_swapTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task NewFramesOfUnseenContentGetSharperAcrossRefreshesWhileOldFramesDecodeBitIdentically()
    {
        string model = RefreshContent.TrainColourModel(1);
        await using RedisServer redis = await RedisServer.StartAsync();
        await using SiloProcess silo = await TrainerSilo.StartAsync(redis, model, "refresh-a", TrainerSilo.Settings());
        using HttpClient client = silo.CreateClient();
        using RedisConnection connection = await RedisConnection.ConnectAsync(redis.ConnectionString);
        RgbImage[] probe = [.. Enumerable.Range(1000, 6).Select(i => RefreshContent.Chart(64, 64, i))]; // never streamed
        string tenant = Api.NewTenant();

        var rounds = new List<(uint Version, double Psnr)>();
        (double psnr, uint version) = await TrainerSilo.ProbeAsync(client, probe);
        rounds.Add((version, psnr));
        await StreamChartsAsync(client, connection, tenant, round: 0);
        List<StreamRecord> framesBefore = await client.ReplayAsync(tenant, "charts", "?format=vqf");
        List<StreamRecord> imagesBefore = await client.ReplayAsync(tenant, "charts", "?format=png");

        RefreshCycle first = await TrainerSilo.RefreshAsync(client);
        Assert.True(first.Status == CycleStatus.Published, $"{first.Status}: {first.Reason}");
        await TrainerSilo.WaitForCurrentAsync(client, first.Version!.Value, s_swapTimeout);
        (psnr, version) = await TrainerSilo.ProbeAsync(client, probe);
        rounds.Add((version, psnr));
        await StreamChartsAsync(client, connection, tenant, round: 1);

        RefreshCycle second = await TrainerSilo.RefreshAsync(client);
        Assert.True(second.Status == CycleStatus.Published, $"{second.Status}: {second.Reason}");
        await TrainerSilo.WaitForCurrentAsync(client, second.Version!.Value, s_swapTimeout);
        (psnr, version) = await TrainerSilo.ProbeAsync(client, probe);
        rounds.Add((version, psnr));

        foreach ((uint v, double p) in rounds)
        {
            output.WriteLine($"version {v}: PSNR of newly encoded chart frames {p:F2} dB");
        }
        output.WriteLine($"cycle {first.Id}: {first.Reason}; cycle {second.Id}: {second.Reason}");
        Assert.Equal([1u, 2u, 3u], rounds.Select(r => r.Version));
        Assert.True(rounds[1].Psnr > rounds[0].Psnr && rounds[2].Psnr > rounds[1].Psnr, string.Join(" -> ", rounds.Select(r => $"{r.Psnr:F2}")));
        Assert.Equal((1u, 2u), (first.Parent, second.Parent));

        // Replay decodes each frame with its own version: the first round's frames, stored under version 1, are
        // byte-for-byte what they were before any refresh, as frames and as decoded images.
        List<StreamRecord> framesAfter = await client.ReplayAsync(tenant, "charts", "?format=vqf");
        List<StreamRecord> imagesAfter = await client.ReplayAsync(tenant, "charts", "?format=png");
        Assert.Equal(Enumerable.Repeat(1u, FramesPerRound).Concat(Enumerable.Repeat(2u, FramesPerRound)), framesAfter.Select(r => r.ModelVersion));
        for (int i = 0; i < FramesPerRound; i++)
        {
            Assert.Equal(framesBefore[i].Payload, framesAfter[i].Payload);
            Assert.Equal(Png.Decode(imagesBefore[i].Payload).Pixels, Png.Decode(imagesAfter[i].Payload).Pixels);
        }
        // ... and what this process decodes from the version-1 model directory, bit for bit.
        using VqCodec original = VqCodec.Load(model);
        Assert.Equal(original.Decode(framesAfter[0].Payload).Pixels, Png.Decode(imagesAfter[0].Payload).Pixels);

        List<ModelInfo> models = (await client.GetFromJsonAsync<List<ModelInfo>>("v1/models", GridJson.Options))!;
        Assert.Equal([(1u, (uint?)null, false), (2u, 1u, false), (3u, 2u, true)], models.Select(m => (m.Version, m.Parent, m.Current)));
        ModelInfo three = (await client.GetFromJsonAsync<ModelInfo>("v1/models/3", GridJson.Options))!;
        Assert.Equal(second.Metrics!.PsnrAfter, three.Metrics!["heldout_psnr"]);
        Assert.Equal(second.Metrics.PsnrBefore, three.Metrics["parent_heldout_psnr"]);
        string metrics = await client.GetStringAsync("metrics");
        Assert.Contains("grid_trainer_cycles_total{outcome=\"published\"} 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("grid_trainer_leader 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("grid_train_samples_total{part=\"train\"}", metrics, StringComparison.Ordinal);
        Assert.Equal("refresh-a", (await TrainerSilo.StatusAsync(client)).TrainerLeader);
        TestPaths.DeleteDirectory(Path.GetDirectoryName(model)!);
    }

    /// <summary>Appends one round of chart frames and waits until the silo's sampler has written them all.</summary>
    private static async Task StreamChartsAsync(HttpClient client, RedisConnection redis, string tenant, int round)
    {
        for (int i = 0; i < FramesPerRound; i++)
        {
            int seed = (round * FramesPerRound) + i;
            await client.AppendAsync(tenant, "charts", Png.Encode(RefreshContent.Chart(64, 64, seed)), sequence: seed);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((long)await redis.Database.StringGetAsync("grid:train:sampled") < (round + 1) * FramesPerRound)
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}

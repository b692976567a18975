using System.Text.Json;
using Grid.Client;
using Grid.Contracts.Api;
using Grid.Imaging;
using Grid.Storage.Streams;
using Grid.Runtime.Tests.Training;
using Grid.TestSupport;

namespace Grid.Cli.Tests;

/// <summary>
/// <c>grid models list|show|refresh|cycles|rollback</c> against a real silo and redis-server: a small colour-trained
/// model, a stream of grayscale charts it never saw, and a refresh that publishes version 2.
/// </summary>
public sealed class ModelsCommandTests : IAsyncLifetime
{
    private RedisServer? _redis;
    private SiloProcess? _silo;
    private string _model = "";

    public async Task InitializeAsync()
    {
        _model = RefreshContent.TrainColourModel(1);
        _redis = await RedisServer.StartAsync();
        _silo = await SiloProcess.StartAsync(new SiloProcessOptions
        {
            Redis = _redis.ConnectionString,
            Model = _model,
            Name = "models-cli",
            Settings =
            [
                "CodecThreads=1", "Trainer:SampleEvery=1", "Trainer:HeldOutEvery=4", "Trainer:RefreshMinutes=0", "Trainer:Crop=32",
                "Trainer:Batch=8", "Trainer:SampleSide=64", "Trainer:KMeansCrops=32", "Trainer:FineTuneSteps=150",
                "Trainer:LearningRate=0.002", "Trainer:MinTrainSamples=8", "Trainer:MinHeldOutSamples=2",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
        TestPaths.DeleteDirectory(Path.GetDirectoryName(_model)!);
    }

    [Fact]
    public async Task RefreshWaitPublishesAndListShowCyclesAndRollbackReportIt()
    {
        string server = _silo!.BaseAddress.AbsoluteUri;
        using (var client = new GridClient(new GridClientOptions { BaseAddress = _silo.BaseAddress, ApiKey = SiloProcess.TestAdminKey }))
        {
            for (int i = 0; i < 24; i++)
            {
                await client.AppendAsync("charts", Png.Encode(RefreshContent.Chart(64, 64, i)), i);
            }
        }
        using (RedisConnection redis = await RedisConnection.ConnectAsync(_redis!.ConnectionString))
        {
            while ((long)await redis.Database.StringGetAsync("grid:train:sampled") < 24)
            {
                await Task.Delay(50);
            }
        }

        CliResult refresh = await CliRun.RunAsync("models", "refresh", "--wait", "--server", server);
        CliResult list = await CliRun.RunAsync("models", "list", "--json", "--server", server);
        CliResult table = await CliRun.RunAsync("models", "list", "--server", server);
        CliResult show = await CliRun.RunAsync("models", "show", "2", "--server", server);
        CliResult cycles = await CliRun.RunAsync("models", "cycles", "--json", "--server", server);
        CliResult rollback = await CliRun.RunAsync("models", "rollback", "1", "--server", server);
        CliResult after = await CliRun.RunAsync("models", "list", "--json", "--server", server);
        CliResult missing = await CliRun.RunAsync("models", "show", "9", "--server", server);
        CliResult refused = await CliRun.RunAsync("models", "rollback", "9", "--server", server);

        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        Assert.Contains("published version 2 (from v1): held-out PSNR", refresh.Stdout, StringComparison.Ordinal);
        Assert.Contains("data: ", refresh.Stdout, StringComparison.Ordinal);
        Assert.True(list.ExitCode == 0, list.ToString());
        using (JsonDocument models = JsonDocument.Parse(list.Stdout))
        {
            JsonElement[] entries = [.. models.RootElement.EnumerateArray()];
            Assert.Equal(2, entries.Length);
            foreach (string field in new[] { "version", "current", "created" })
            {
                Assert.All(entries, e => Assert.True(e.TryGetProperty(field, out _), $"no {field} in {e}"));
            }
            Assert.Equal((2u, true, 1u), (entries[1].GetProperty("version").GetUInt32(), entries[1].GetProperty("current").GetBoolean(), entries[1].GetProperty("parent").GetUInt32()));
            Assert.True(entries[1].GetProperty("metrics").GetProperty("heldout_psnr").GetDouble() > entries[1].GetProperty("metrics").GetProperty("parent_heldout_psnr").GetDouble());
        }
        Assert.Contains("held-out", table.Stdout, StringComparison.Ordinal);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("data window", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("heldout_psnr", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("codebook refresh of version 1", show.Stdout, StringComparison.Ordinal);
        RefreshCycle cycle = Assert.Single(JsonSerializer.Deserialize<RefreshCycle[]>(cycles.Stdout, GridJson.Options)!);
        Assert.Equal((CycleStatus.Published, 2u, "models-cli"), (cycle.Status, cycle.Version, cycle.Leader));
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Contains("version 1 is current", rollback.Stdout, StringComparison.Ordinal);
        Assert.True(JsonSerializer.Deserialize<ModelInfo[]>(after.Stdout, GridJson.Options)![0].Current);
        Assert.Equal(5, missing.ExitCode);
        Assert.Equal(6, refused.ExitCode);
        Assert.Contains("model_not_found", refused.Stderr, StringComparison.Ordinal);
    }
}

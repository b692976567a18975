using System.Net;
using System.Net.Http.Json;
using System.Text;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.Codec;
using Grid.Storage.Models;
using Grid.Storage.Streams;
using Grid.TestSupport;

namespace Grid.Silo.Tests;

/// <summary>The training grain's HTTP API on a silo of its own (the current model changes).</summary>
public sealed class TrainerApiTests
{
    [Fact]
    public async Task RefreshIsQueuedForTheLeaderAndItsCycleCanBeFollowed()
    {
        string model = TinyModel.Write(1);
        await using RedisServer redis = await RedisServer.StartAsync();
        await using SiloProcess silo = await TrainerSilo.StartAsync(redis, model, "api-a", TrainerSilo.Settings());
        using HttpClient client = silo.CreateClient();

        using HttpResponseMessage accepted = await client.PostAsync("v1/models/refresh", null);
        RefreshCycle queued = (await accepted.Content.ReadFromJsonAsync<RefreshCycle>(GridJson.Options))!;
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal($"/v1/models/cycles/{queued.Id}", accepted.Headers.Location!.ToString());
        Assert.Equal(CycleStatus.Queued, queued.Status);
        Assert.Equal("api-a", queued.RequestedBy);

        // Nothing streamed yet: the leader rejects the cycle for lack of data, and says so. The second request comes
        // only once the first has finished: while one is still queued, a request is answered with it instead.
        RefreshCycle followed = await WaitForOutcomeAsync(client, queued.Id, TimeSpan.FromSeconds(60));
        RefreshCycle done = await TrainerSilo.RefreshAsync(client);
        List<RefreshCycle> cycles = (await client.GetFromJsonAsync<List<RefreshCycle>>("v1/models/cycles", GridJson.Options))!;

        Assert.Equal(CycleStatus.Rejected, done.Status);
        Assert.StartsWith("not enough data", done.Reason, StringComparison.Ordinal);
        Assert.Equal(CycleStatus.Rejected, followed.Status);
        Assert.NotEqual(queued.Id, done.Id);
        Assert.Equal("api-a", followed.Leader);
        Assert.Contains(cycles, c => c.Id == queued.Id);
        Assert.True(cycles.Count >= 2);
        Assert.True(cycles[0].Id > cycles[^1].Id); // newest first
        await Api.AssertErrorAsync(await client.GetAsync("v1/models/cycles/999"), HttpStatusCode.NotFound, ErrorCodes.CycleNotFound);
        await Api.AssertErrorAsync(await client.GetAsync("v1/models/cycles/x"), HttpStatusCode.BadRequest, ErrorCodes.InvalidArgument);
        await Api.AssertErrorAsync(await client.PostAsync("v1/models/refresh?wait=maybe", null), HttpStatusCode.BadRequest, ErrorCodes.InvalidArgument);
        Assert.Contains("grid_trainer_cycles_total{outcome=\"rejected\"}", await client.GetStringAsync("metrics"), StringComparison.Ordinal);
        TestPaths.DeleteDirectory(model);
    }

    private static async Task<RefreshCycle> WaitForOutcomeAsync(HttpClient client, long id, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            RefreshCycle cycle = (await client.GetFromJsonAsync<RefreshCycle>($"v1/models/cycles/{id}", GridJson.Options, cancel.Token))!;
            if (cycle.Status is not (CycleStatus.Queued or CycleStatus.Running))
            {
                return cycle;
            }
            await Task.Delay(100, cancel.Token);
        }
    }

    [Fact]
    public async Task RollbackMakesAnEarlierVersionCurrentAndRefusesUnknownOnes()
    {
        string v1 = TinyModel.Write(1, seed: 1);
        string v2 = TinyModel.Write(2, seed: 2);
        await using RedisServer redis = await RedisServer.StartAsync();
        await using SiloProcess silo = await TrainerSilo.StartAsync(redis, v1, "api-b", TrainerSilo.Settings());
        using HttpClient client = silo.CreateClient();
        using RedisConnection connection = await RedisConnection.ConnectAsync(redis.ConnectionString);
        var registry = new ModelRegistry(connection);
        await registry.ImportAsync(v2);
        (await client.PostAsync("v1/models/rollback?version=2", null)).EnsureSuccessStatusCode();
        await TrainerSilo.WaitForCurrentAsync(client, 2, TimeSpan.FromSeconds(30));

        using HttpResponseMessage byBody = await client.PostAsync("v1/models/rollback", new StringContent("{\"version\": 1}", Encoding.UTF8, "application/json"));
        ModelInfo current = (await byBody.Content.ReadFromJsonAsync<ModelInfo>(GridJson.Options))!;
        await TrainerSilo.WaitForCurrentAsync(client, 1, TimeSpan.FromSeconds(30));
        using HttpResponseMessage byQuery = await client.PostAsync("v1/models/rollback?version=2", null);

        Assert.Equal(HttpStatusCode.OK, byBody.StatusCode);
        Assert.Equal((1u, true), (current.Version, current.Current));
        Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);
        Assert.Equal(2u, await registry.GetCurrentVersionAsync());
        await Api.AssertErrorAsync(await client.PostAsync("v1/models/rollback?version=7", null), HttpStatusCode.NotFound, ErrorCodes.ModelNotFound);
        await Api.AssertErrorAsync(await client.PostAsync("v1/models/rollback", null), HttpStatusCode.BadRequest, ErrorCodes.InvalidArgument);
        await Api.AssertErrorAsync(await client.PostAsync("v1/models/rollback", new StringContent("{\"version\": \"one\"}", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, ErrorCodes.InvalidArgument);
        Assert.Equal(2u, await registry.GetCurrentVersionAsync());
        TestPaths.DeleteDirectory(v1);
        TestPaths.DeleteDirectory(v2);
    }

    [Fact]
    public async Task RetentionKeepsAVersionAFrameNamesAndADeletedVersionIsGoneFromTheApi()
    {
        string v1 = TinyModel.Write(1, seed: 1);
        string v2 = TinyModel.Write(2, seed: 2);
        string v3 = TinyModel.Write(3, seed: 3);
        await using RedisServer redis = await RedisServer.StartAsync();
        await using SiloProcess silo = await TrainerSilo.StartAsync(redis, v1, "api-c", TrainerSilo.Settings());
        using HttpClient client = silo.CreateClient();
        using RedisConnection connection = await RedisConnection.ConnectAsync(redis.ConnectionString);
        var registry = new ModelRegistry(connection);
        await registry.ImportAsync(v2);
        await registry.ImportAsync(v3);
        (await client.PostAsync("v1/models/rollback?version=3", null)).EnsureSuccessStatusCode();
        using VqCodec codec1 = VqCodec.Load(v1);
        using VqCodec codec2 = VqCodec.Load(v2);
        byte[] frame1 = codec1.Encode(TestImages.Pattern(16, 16));
        byte[] frame2 = codec2.Encode(TestImages.Pattern(16, 16));
        string tenant = Api.NewTenant();
        Assert.Equal(1u, (await client.AppendAsync(tenant, "kept", frame1, mediaType: GridMediaTypes.Frame)).ModelVersion);

        var retention = new ModelRetention(registry, new StreamStore(connection));
        RetentionPass marking = await retention.RunAsync(keepLatest: 1, TimeSpan.Zero);
        // Marked retiring: a ready frame naming version 2 is refused from now on.
        using HttpResponseMessage refused = await client.SendAsync(Api.Append(tenant, "late", frame2, mediaType: GridMediaTypes.Frame));
        RetentionPass deleting = await retention.RunAsync(keepLatest: 1, TimeSpan.Zero);

        Assert.Equal([2u], marking.Marked);
        Assert.Equal([1u, 3u], marking.Kept); // 3 is current and newest, 1 is named by a stored frame
        await Api.AssertErrorAsync(refused, HttpStatusCode.NotFound, ErrorCodes.ModelNotFound);
        Assert.Equal([2u], deleting.Deleted);
        await Api.AssertErrorAsync(await client.GetAsync("v1/models/2"), HttpStatusCode.NotFound, ErrorCodes.ModelNotFound);
        List<ModelInfo> models = (await client.GetFromJsonAsync<List<ModelInfo>>("v1/models", GridJson.Options))!;
        Assert.Equal([1u, 3u], models.Select(m => m.Version));
        await Api.AssertErrorAsync(await client.PostAsync("v1/models/rollback?version=2", null), HttpStatusCode.NotFound, ErrorCodes.ModelNotFound);
        // The kept frame still decodes with its own version, bit for bit.
        List<StreamRecord> replay = await client.ReplayAsync(tenant, "kept", "?format=ppm");
        Assert.Equal(codec1.Decode(frame1).Pixels, Grid.Imaging.Ppm.Decode(replay[0].Payload).Pixels);
        TestPaths.DeleteDirectory(v1);
        TestPaths.DeleteDirectory(v2);
        TestPaths.DeleteDirectory(v3);
    }
}

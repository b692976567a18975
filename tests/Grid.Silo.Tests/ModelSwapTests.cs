using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Grid.Contracts.Api;
using Grid.Codec;
using Grid.Imaging;
using Grid.Storage.Models;
using Grid.Storage.Streams;
using Grid.TestSupport;
using Xunit.Abstractions;

namespace Grid.Silo.Tests;

/// <summary>Hot swap of the current model (a Redis and silo of its own: the current model changes).</summary>
public sealed class ModelSwapTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ANewCurrentModelIsPickedUpAndOldFramesStillDecode()
    {
        string v1 = TinyModel.Write(1, seed: 1);
        string v2 = TinyModel.Write(2, seed: 2);
        await using RedisServer redis = await RedisServer.StartAsync();
        await using SiloProcess silo = await SiloProcess.StartAsync(new SiloProcessOptions { Redis = redis.ConnectionString, Model = v1, Name = "swap" });
        using HttpClient client = silo.CreateClient();
        using VqCodec codec1 = VqCodec.Load(v1);
        using VqCodec codec2 = VqCodec.Load(v2);
        RgbImage image = TestImages.Pattern(32, 32, seed: 8);
        string tenant = Api.NewTenant();
        await client.AppendAsync(tenant, "s", Png.Encode(image));

        using RedisConnection connection = RedisConnection.Connect(redis.ConnectionString);
        var registry = new ModelRegistry(connection);
        ModelImport import = await registry.ImportAsync(v2);
        using HttpResponseMessage switched = await client.PostAsync("v1/models/rollback?version=2", null);
        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);

        // The registry grain's notice reaches the silo; the swap happens between batches.
        var clock = Stopwatch.StartNew();
        byte[] frame;
        while (true)
        {
            using HttpResponseMessage response = await client.PostAsync("v1/encode", Api.Body(Png.Encode(image), GridMediaTypes.Png));
            frame = await response.Content.ReadAsByteArrayAsync();
            if (response.Headers.GetValues(GridHeaders.ModelVersion).Single() == "2")
            {
                break;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the silo did not pick up model version 2");
            await Task.Delay(50);
        }

        Assert.True(import.Imported);
        Assert.Equal(codec2.Encode(image), frame);
        await client.AppendAsync(tenant, "s", Png.Encode(image));
        List<StreamRecord> images = await client.ReplayAsync(tenant, "s", "?format=png");
        Assert.Equal([1u, 2u], images.Select(r => r.ModelVersion));
        Assert.Equal(codec1.Decode(codec1.Encode(image)).Pixels, Png.Decode(images[0].Payload).Pixels);
        Assert.Equal(codec2.Decode(frame).Pixels, Png.Decode(images[1].Payload).Pixels);

        List<ModelInfo> models = (await client.GetFromJsonAsync<List<ModelInfo>>("v1/models", GridJson.Options))!;
        Assert.Equal([(1u, false), (2u, true)], models.Select(m => (m.Version, m.Current)));
        string metrics = await client.GetStringAsync("metrics");
        Assert.Contains("grid_model_current_version 2\n", metrics, StringComparison.Ordinal);

        TestPaths.DeleteDirectory(v1);
        TestPaths.DeleteDirectory(v2);
    }

    [Fact]
    public async Task ARollbackOnOneSiloReachesTheOtherThroughTheRegistryGrainAndStatusShowsBoth()
    {
        string v1 = TinyModel.Write(1, seed: 1);
        string v2 = TinyModel.Write(2, seed: 2);
        await using RedisServer redis = await RedisServer.StartAsync();
        // Renewals once a minute (the most allowed): within the 30 s below, only the registry grain's notice can tell silo b.
        string[] settings = ["ModelResubscribeSeconds=60"];
        await using SiloProcess a = await SiloProcess.StartAsync(new SiloProcessOptions { Redis = redis.ConnectionString, Model = v1, Name = "reg-a", Settings = settings });
        await using SiloProcess b = await SiloProcess.StartAsync(new SiloProcessOptions { Redis = redis.ConnectionString, Model = v1, Name = "reg-b", Settings = settings });
        using HttpClient clientA = a.CreateClient();
        using HttpClient clientB = b.CreateClient();
        using RedisConnection connection = RedisConnection.Connect(redis.ConnectionString);
        await new ModelRegistry(connection).ImportAsync(v2);

        var clock = Stopwatch.StartNew();
        using HttpResponseMessage switched = await clientA.PostAsync("v1/models/rollback?version=2", null);
        TimeSpan answered = clock.Elapsed;
        await TrainerSilo.WaitForCurrentAsync(clientB, 2, TimeSpan.FromSeconds(30));
        output.WriteLine($"rollback answered after {answered.TotalMilliseconds:0} ms; silo b encoded with version 2 after {clock.Elapsed.TotalMilliseconds:0} ms");
        await TrainerSilo.WaitForCurrentAsync(clientA, 2, TimeSpan.FromSeconds(30));
        ClusterStatus status = await TrainerSilo.StatusAsync(clientB);

        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
        Assert.Equal(2u, status.CurrentModel);
        Assert.Equal([("reg-a", 2u), ("reg-b", 2u)], status.Silos.Where(s => s.Status == "active").Select(s => (s.Name, s.ModelVersion)).Order());
        List<ModelInfo> models = (await clientB.GetFromJsonAsync<List<ModelInfo>>("v1/models", GridJson.Options))!;
        Assert.Equal([(1u, false), (2u, true)], models.Select(m => (m.Version, m.Current)));
        TestPaths.DeleteDirectory(v1);
        TestPaths.DeleteDirectory(v2);
    }

    [Fact]
    public async Task TheRegistryRefusesOtherWeightsUnderAnExistingVersionAndImportsIdempotently()
    {
        string first = TinyModel.Write(5, seed: 1);
        string impostor = TinyModel.Write(5, seed: 2);
        await using RedisServer redis = await RedisServer.StartAsync();
        using RedisConnection connection = RedisConnection.Connect(redis.ConnectionString);
        var registry = new ModelRegistry(connection);

        ModelImport imported = await registry.ImportAsync(first);
        ModelImport again = await registry.ImportAsync(first);
        ModelConflictException conflict = await Assert.ThrowsAsync<ModelConflictException>(() => registry.ImportAsync(impostor));
        await Assert.ThrowsAsync<ModelConflictException>(() => registry.EnsureCurrentAsync(impostor)); // no current yet: imports
        await registry.SetCurrentAsync(5);
        uint current = await registry.EnsureCurrentAsync(impostor); // a current exists: nothing imported
        await Assert.ThrowsAsync<ModelNotFoundException>(() => registry.SetCurrentAsync(6));

        Assert.True(imported.Imported);
        Assert.False(again.Imported);
        Assert.Equal(imported.Fingerprint, conflict.StoredFingerprint);
        Assert.Contains("version 5", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(5u, current);
        Assert.Equal([5u], await registry.ListVersionNumbersAsync());
        TestPaths.DeleteDirectory(first);
        TestPaths.DeleteDirectory(impostor);
    }

    [Fact]
    public async Task DecodeOfAFrameOfAVersionThatIsNotCurrentLoadsIt()
    {
        string v1 = TinyModel.Write(1, seed: 1);
        string v3 = TinyModel.Write(3, seed: 3);
        await using RedisServer redis = await RedisServer.StartAsync();
        await using SiloProcess silo = await SiloProcess.StartAsync(new SiloProcessOptions { Redis = redis.ConnectionString, Model = v1, Name = "old" });
        using HttpClient client = silo.CreateClient();
        using RedisConnection connection = RedisConnection.Connect(redis.ConnectionString);
        await new ModelRegistry(connection).ImportAsync(v3); // published, never current
        using VqCodec codec3 = VqCodec.Load(v3);
        byte[] frame = codec3.Encode(TestImages.Pattern(16, 16));

        using HttpResponseMessage response = await client.PostAsync("v1/decode?format=ppm", Api.Body(frame, GridMediaTypes.Frame));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3", response.Headers.GetValues(GridHeaders.ModelVersion).Single());
        Assert.Equal(codec3.Decode(frame).Pixels, Ppm.Decode(await response.Content.ReadAsByteArrayAsync()).Pixels);
        TestPaths.DeleteDirectory(v1);
        TestPaths.DeleteDirectory(v3);
    }
}

using System.Net.Http.Json;
using Grid.Contracts.Api;

namespace Grid.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class StatusTests(SiloFixture fixture)
{
    [Fact]
    public async Task StatusListsSilosFromMembershipTheTrainerLeaderTheModelAndStreams()
    {
        string tenant = Api.NewTenant();
        await fixture.Client.AppendAsync(tenant, "status-cam", TestImages.Png(8, 8));

        // Activation counts come from Orleans' management grain; while a silo another test killed is not yet declared
        // dead, the query can time out and the count reads 0 for a few seconds.
        ClusterStatus status = (await fixture.Client.GetFromJsonAsync<ClusterStatus>("v1/status", GridJson.Options))!;
        for (int i = 0; i < 20 && status.Silos.Single(s => s.Name == "silo-a").Activations == 0; i++)
        {
            await Task.Delay(500);
            status = (await fixture.Client.GetFromJsonAsync<ClusterStatus>("v1/status", GridJson.Options))!;
        }

        SiloInfo silo = Assert.Single(status.Silos, s => s.Name == "silo-a");
        Assert.Equal(fixture.Silo.BaseAddress.ToString().TrimEnd('/'), silo.Url);
        Assert.Equal(("cpu", 1u), (silo.Device, silo.ModelVersion));
        Assert.True(silo.QueueCapacity > 0);
        Assert.Equal("active", silo.Status);
        Assert.Contains("@", silo.Address, StringComparison.Ordinal); // ip:port@generation
        Assert.True(silo.Activations > 0); // its codec grain at least
        // The trainer grain runs on one active silo of the cluster (other tests of the collection add silos).
        Assert.Contains(status.TrainerLeader, status.Silos.Where(s => s.Status == "active").Select(s => s.Name));
        Assert.Equal(1u, status.CurrentModel);
        Assert.Contains(status.Streams, s => s.Tenant == tenant && s.Stream == "status-cam");
    }

    [Fact]
    public async Task ModelsListTheRegistry()
    {
        List<ModelInfo> models = (await fixture.Client.GetFromJsonAsync<List<ModelInfo>>("v1/models", GridJson.Options))!;
        ModelInfo one = (await fixture.Client.GetFromJsonAsync<ModelInfo>("v1/models/1", GridJson.Options))!;

        ModelInfo listed = Assert.Single(models);
        Assert.Equal(1u, listed.Version);
        Assert.True(listed.Current);
        Assert.Equal(fixture.Codec.Card!.Fingerprint, listed.Fingerprint);
        Assert.Equal(listed.Version, one.Version);
        Assert.Equal(listed.Fingerprint, one.Fingerprint);
    }
}

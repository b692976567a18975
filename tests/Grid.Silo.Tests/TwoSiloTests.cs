using System.Net.Http.Json;
using Grid.Contracts.Api;
using Grid.Imaging;
using Grid.TestSupport;

namespace Grid.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class TwoSiloTests(SiloFixture fixture)
{
    [Fact]
    public async Task TwoSilosOnOneRedisReadEachOthersFrames()
    {
        await using SiloProcess other = await fixture.StartSiloAsync("silo-b");
        using HttpClient b = other.CreateClient();
        HttpClient a = fixture.Client;
        string tenant = Api.NewTenant();

        for (int i = 0; i < 4; i++)
        {
            await a.AppendAsync(tenant, "from-a", TestImages.Png(24, 24, seed: i));
            await b.AppendAsync(tenant, "from-b", TestImages.Png(24, 24, seed: 20 + i));
        }

        // Each silo replays the other's stream, as frames and decoded with the frame's model version.
        List<StreamRecord> aSeesB = await a.ReplayAsync(tenant, "from-b");
        List<StreamRecord> bSeesA = await b.ReplayAsync(tenant, "from-a");
        List<StreamRecord> bDecodesA = await b.ReplayAsync(tenant, "from-a", "?format=png");
        for (int i = 0; i < 4; i++)
        {
            byte[] frameA = fixture.Codec.Encode(TestImages.Pattern(24, 24, i));
            Assert.Equal(fixture.Codec.Encode(TestImages.Pattern(24, 24, 20 + i)), aSeesB[i].Payload);
            Assert.Equal(frameA, bSeesA[i].Payload);
            Assert.Equal(fixture.Codec.Decode(frameA).Pixels, Png.Decode(bDecodesA[i].Payload).Pixels);
        }

        // Both appear in the cluster status on either silo.
        ClusterStatus status = (await b.GetFromJsonAsync<ClusterStatus>("v1/status", GridJson.Options))!;
        Assert.Contains(status.Silos, s => s.Name == "silo-a");
        Assert.Contains(status.Silos, s => s.Name == "silo-b" && s.Url == other.BaseAddress.ToString().TrimEnd('/'));
    }
}

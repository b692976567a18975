using System.Net;
using Grid.Contracts.Api;
using Grid.Imaging;

namespace Grid.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class ReplayTests(SiloFixture fixture)
{
    private async Task<(string Tenant, byte[][] Frames)> StreamOfSixAsync()
    {
        string tenant = Api.NewTenant();
        for (int i = 0; i < 6; i++)
        {
            await fixture.Client.AppendAsync(tenant, "s", TestImages.Png(36, 20, seed: 10 + i), sequence: i * 2);
        }
        return (tenant, [.. Enumerable.Range(0, 6).Select(i => fixture.Codec.Encode(TestImages.Pattern(36, 20, 10 + i)))]);
    }

    [Fact]
    public async Task ReplayReturnsTheInclusiveRangeInOrder()
    {
        (string tenant, byte[][] frames) = await StreamOfSixAsync();

        List<StreamRecord> all = await fixture.Client.ReplayAsync(tenant, "s");
        List<StreamRecord> middle = await fixture.Client.ReplayAsync(tenant, "s", "?from=2&to=6");
        List<StreamRecord> tail = await fixture.Client.ReplayAsync(tenant, "s", "?from=7");
        List<StreamRecord> head = await fixture.Client.ReplayAsync(tenant, "s", "?to=2");
        List<StreamRecord> none = await fixture.Client.ReplayAsync(tenant, "s", "?from=100");

        Assert.Equal([0L, 2, 4, 6, 8, 10], all.Select(r => r.Sequence));
        Assert.Equal(frames, all.Select(r => r.Payload));
        Assert.All(all, r => Assert.Equal(1u, r.ModelVersion));
        Assert.Equal([2L, 4, 6], middle.Select(r => r.Sequence));
        Assert.Equal([8L, 10], tail.Select(r => r.Sequence));
        Assert.Equal([0L, 2], head.Select(r => r.Sequence));
        Assert.Empty(none);
    }

    [Fact]
    public async Task ReplayAsPngDecodesEveryFrame()
    {
        (string tenant, byte[][] frames) = await StreamOfSixAsync();

        List<StreamRecord> images = await fixture.Client.ReplayAsync(tenant, "s", "?from=4&format=png");

        Assert.Equal([4L, 6, 8, 10], images.Select(r => r.Sequence));
        for (int i = 0; i < images.Count; i++)
        {
            RgbImage expected = fixture.Codec.Decode(frames[i + 2]);
            RgbImage decoded = Png.Decode(images[i].Payload);
            Assert.Equal(expected.Pixels, decoded.Pixels);
        }
    }

    [Fact]
    public async Task ALongReplayStreamsEveryRecord()
    {
        string tenant = Api.NewTenant();
        byte[] frame = fixture.Codec.Encode(TestImages.Pattern(8, 8));
        // More than one Redis page (256) so the replay crosses page boundaries.
        for (int i = 0; i < 300; i++)
        {
            await fixture.Client.AppendAsync(tenant, "long", frame, mediaType: GridMediaTypes.Frame);
        }

        List<StreamRecord> records = await fixture.Client.ReplayAsync(tenant, "long");

        Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), records.Select(r => r.Sequence));
    }

    [Fact]
    public async Task GetFrameReturnsThePayloadWithItsHeaders()
    {
        (string tenant, byte[][] frames) = await StreamOfSixAsync();

        using HttpResponseMessage vqf = await fixture.Client.SendAsync(Api.Get(tenant, "v1/streams/s/frames/4"));
        using HttpResponseMessage png = await fixture.Client.SendAsync(Api.Get(tenant, "v1/streams/s/frames/4?format=png"));

        Assert.Equal(HttpStatusCode.OK, vqf.StatusCode);
        Assert.Equal(GridMediaTypes.Frame, vqf.Content.Headers.ContentType?.MediaType);
        Assert.Equal("4", Assert.Single(vqf.Headers.GetValues(GridHeaders.Sequence)));
        Assert.Equal("1", Assert.Single(vqf.Headers.GetValues(GridHeaders.ModelVersion)));
        Assert.Equal(frames[2], await vqf.Content.ReadAsByteArrayAsync());
        Assert.Equal(GridMediaTypes.Png, png.Content.Headers.ContentType?.MediaType);
        Assert.Equal(fixture.Codec.Decode(frames[2]).Pixels, Png.Decode(await png.Content.ReadAsByteArrayAsync()).Pixels);
    }
}

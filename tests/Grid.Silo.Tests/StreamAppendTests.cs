using System.Net;
using System.Net.Http.Json;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.Entropy;

namespace Grid.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class StreamAppendTests(SiloFixture fixture)
{
    [Fact]
    public async Task AppendsWithoutSequenceCountUpFromZero()
    {
        string tenant = Api.NewTenant();

        var results = new List<AppendResult>();
        for (int i = 0; i < 3; i++)
        {
            results.Add(await fixture.Client.AppendAsync(tenant, "cam", TestImages.Png(32, 24, seed: i)));
        }

        Assert.Equal([0L, 1L, 2L], results.Select(r => r.Sequence));
        Assert.All(results, r => Assert.False(r.Duplicate));
        Assert.All(results, r => Assert.Equal(1u, r.ModelVersion));
        using HttpResponseMessage info = await fixture.Client.SendAsync(Api.Get(tenant, "v1/streams/cam"));
        StreamInfo stream = (await info.Content.ReadFromJsonAsync<StreamInfo>(GridJson.Options))!;
        Assert.Equal((3L, 2L, 32, 24), (stream.Frames, stream.LastSequence, stream.Width, stream.Height));
        Assert.Equal(tenant, stream.Tenant);
    }

    [Fact]
    public async Task StoredAppendAnswers201WithLocationAndTheResult()
    {
        string tenant = Api.NewTenant();
        byte[] png = TestImages.Png(32, 32, seed: 1);

        using HttpResponseMessage response = await fixture.Client.SendAsync(Api.Append(tenant, "s", png, sequence: 7));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/v1/streams/s/frames/7", response.Headers.Location?.OriginalString);
        AppendResult result = (await response.Content.ReadFromJsonAsync<AppendResult>(GridJson.Options))!;
        // The stored bytes: the stream's first frame as a key frame, baseline-coded (the test model has no prior).
        ushort[] indices = VqfReader.ReadIndices(fixture.Codec.Encode(TestImages.Pattern(32, 32, 1)), out FrameInfo frameInfo);
        CodedStreamFrame stored = new StreamFrameCoder(keyInterval: 30).Code(frameInfo, indices, 7, prior: null);
        Assert.Equal(FrameCoding.Baseline, stored.Coding);
        Assert.Equal(new AppendResult(7, 1, stored.Frame.Length, false), result);
        Assert.False(response.Headers.Contains(GridHeaders.Duplicate));
    }

    [Fact]
    public async Task ExplicitSequencesMayLeaveGapsButNeverGoBack()
    {
        string tenant = Api.NewTenant();
        await fixture.Client.AppendAsync(tenant, "s", TestImages.Png(16, 16), sequence: 5);
        await fixture.Client.AppendAsync(tenant, "s", TestImages.Png(16, 16), sequence: 9);

        using HttpResponseMessage late = await fixture.Client.SendAsync(Api.Append(tenant, "s", TestImages.Png(16, 16), sequence: 7));
        AppendResult next = await fixture.Client.AppendAsync(tenant, "s", TestImages.Png(16, 16));

        await Api.AssertErrorAsync(late, HttpStatusCode.Conflict, "sequence_out_of_order");
        Assert.Equal(10, next.Sequence);
    }

    [Fact]
    public async Task RetryOfAStoredSequenceIsADuplicateAndStoredOnce()
    {
        string tenant = Api.NewTenant();
        byte[] png = TestImages.Png(32, 32, seed: 2);
        AppendResult first = await fixture.Client.AppendAsync(tenant, "s", png, sequence: 3);

        // The retry carries other bytes: the answer still describes the stored frame.
        using HttpResponseMessage retry = await fixture.Client.SendAsync(Api.Append(tenant, "s", TestImages.Png(32, 32, seed: 9), sequence: 3));

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues(GridHeaders.Duplicate)));
        AppendResult duplicate = (await retry.Content.ReadFromJsonAsync<AppendResult>(GridJson.Options))!;
        Assert.Equal(first with { Duplicate = true }, duplicate);
        List<StreamRecord> stored = await fixture.Client.ReplayAsync(tenant, "s");
        Assert.Equal(fixture.Codec.Encode(TestImages.Pattern(32, 32, 2)), Assert.Single(stored).Payload);
    }

    [Fact]
    public async Task ConcurrentRetriesStoreTheFrameExactlyOnce()
    {
        string tenant = Api.NewTenant();
        byte[] png = TestImages.Png(24, 24, seed: 4);

        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => fixture.Client.SendAsync(Api.Append(tenant, "s", png, sequence: 42))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.OK && r.Headers.Contains(GridHeaders.Duplicate)));
        Assert.Equal(42, Assert.Single(await fixture.Client.ReplayAsync(tenant, "s")).Sequence);
        foreach (HttpResponseMessage response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task AppendsOfOneClientAreStoredInTheOrderSent()
    {
        string tenant = Api.NewTenant();
        for (int i = 0; i < 10; i++)
        {
            await fixture.Client.AppendAsync(tenant, "s", TestImages.Png(20, 12, seed: i));
        }

        List<StreamRecord> records = await fixture.Client.ReplayAsync(tenant, "s");

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), records.Select(r => r.Sequence));
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(fixture.Codec.Encode(TestImages.Pattern(20, 12, i)), records[i].Payload);
        }
    }

    [Fact]
    public async Task AReadyFrameIsReadBackAsSent()
    {
        string tenant = Api.NewTenant();
        byte[] frame = await fixture.Client.EncodeAsync(TestImages.Png(28, 20, seed: 5));

        AppendResult result = await fixture.Client.AppendAsync(tenant, "s", frame, mediaType: GridMediaTypes.Frame);
        using HttpResponseMessage stored = await fixture.Client.SendAsync(Api.Get(tenant, "v1/streams/s/frames/0"));

        // Stored as the stream codes it (never larger than the frame), read back as the frame sent.
        Assert.Equal(0L, result.Sequence);
        Assert.InRange(result.Bytes, 1, frame.Length);
        Assert.Equal(frame, await stored.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task StreamsAreListedPerTenant()
    {
        string tenant = Api.NewTenant();
        await fixture.Client.AppendAsync(tenant, "a", TestImages.Png(8, 8));
        await fixture.Client.AppendAsync(tenant, "b", TestImages.Png(8, 8));
        await fixture.Client.AppendAsync(Api.NewTenant(), "c", TestImages.Png(8, 8));

        List<StreamInfo> streams = (await fixture.Client.GetFromJsonAsync<List<StreamInfo>>($"v1/streams?tenant={tenant}", GridJson.Options))!;

        Assert.Equal(["a", "b"], streams.Select(s => s.Stream).Order());
    }
}

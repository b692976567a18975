using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Grid.Contracts.Api;
using Grid.Storage.Streams;

namespace Grid.Silo.Tests;

/// <summary>Sequence numbers are bounded (0..2^53-1) so no stream can be bricked, and streams can be deleted.</summary>
[Collection(SiloCollection.Name)]
public sealed class SequenceBoundsTests(SiloFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Theory]
    [InlineData("9223372036854775807")]
    [InlineData("9007199254740992")]
    [InlineData("-1")]
    [InlineData("+5")]
    public async Task ASequenceOutsideTheRangeIs400AndStoresNothing(string sequence)
    {
        string tenant = Api.NewTenant();
        using HttpRequestMessage request = Api.Append(tenant, "cam", TestImages.Png(8, 8));
        request.Headers.TryAddWithoutValidation(GridHeaders.Sequence, sequence);
        await Api.AssertErrorAsync(await Client.SendAsync(request), HttpStatusCode.BadRequest, "invalid_argument");
        Assert.Equal(HttpStatusCode.NotFound, (await Client.SendAsync(Api.Get(tenant, "v1/streams/cam"))).StatusCode);
    }

    [Fact]
    public async Task TwoSequenceHeadersAre400()
    {
        using HttpRequestMessage request = Api.Append(Api.NewTenant(), "cam", TestImages.Png(8, 8));
        request.Headers.TryAddWithoutValidation(GridHeaders.Sequence, ["1", "2"]);
        await Api.AssertErrorAsync(await Client.SendAsync(request), HttpStatusCode.BadRequest, "invalid_argument");
    }

    [Fact]
    public async Task TheHighestSequenceIsStoredThenTheStreamSays409ExhaustedUntilDeleted()
    {
        string tenant = Api.NewTenant();
        AppendResult last = await Client.AppendAsync(tenant, "cam", TestImages.Png(8, 8), StreamSequences.Max);
        Assert.Equal(StreamSequences.Max, last.Sequence);

        await Api.AssertErrorAsync(await Client.SendAsync(Api.Append(tenant, "cam", TestImages.Png(8, 8))), HttpStatusCode.Conflict, "sequence_exhausted");
        List<StreamRecord> replay = await Client.ReplayAsync(tenant, "cam", $"?from={StreamSequences.Max}&to={StreamSequences.Max}");
        Assert.Equal([StreamSequences.Max], replay.Select(r => r.Sequence));
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Get(tenant, "v1/streams/cam/frames?to=9223372036854775807")), HttpStatusCode.BadRequest, "invalid_argument");

        // A live subscription without from starts after the last sequence: no overflow, the socket stays open.
        using (ClientWebSocket live = await WebSocketClient.ConnectAsync(fixture.Silo.BaseAddress, tenant, "v1/streams/cam/live"))
        {
            await live.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            Assert.Equal(WebSocketCloseStatus.NormalClosure, live.CloseStatus);
        }

        using (HttpResponseMessage deleted = await Client.SendAsync(Delete(tenant, "cam")))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        AppendResult fresh = await Client.AppendAsync(tenant, "cam", TestImages.Png(16, 8));
        Assert.Equal(0, fresh.Sequence);
    }

    [Fact]
    public async Task AStreamBrickedBeforeTheBoundStillServesLiveSubscriptionsAndCanBeDeleted()
    {
        string tenant = Api.NewTenant();
        await Client.AppendAsync(tenant, "old", TestImages.Png(8, 8));
        using RedisConnection redis = RedisConnection.Connect(fixture.Redis.ConnectionString);
        await redis.Database.HashSetAsync($"grid:{{s:{tenant}:old}}:meta", "last_seq", long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using (ClientWebSocket live = await WebSocketClient.ConnectAsync(fixture.Silo.BaseAddress, tenant, "v1/streams/old/live"))
        {
            await live.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            Assert.Equal(WebSocketCloseStatus.NormalClosure, live.CloseStatus);
        }
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Append(tenant, "old", TestImages.Png(8, 8))), HttpStatusCode.Conflict, "sequence_exhausted");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync(Delete(tenant, "old"))).StatusCode);
        Assert.Equal(0, (await Client.AppendAsync(tenant, "old", TestImages.Png(8, 8))).Sequence);
    }

    [Fact]
    public async Task DeletingAStreamDropsItsFramesFromListingsAndModelUsageAndOnlyItsOwnerMayDeleteIt()
    {
        string tenant = Api.NewTenant();
        for (int i = 0; i < 3; i++)
        {
            await Client.AppendAsync(tenant, "gone", TestImages.Png(8, 8, seed: i));
        }
        await Client.AppendAsync(tenant, "kept", TestImages.Png(8, 8));
        using RedisConnection redis = RedisConnection.Connect(fixture.Redis.ConnectionString);
        var store = new StreamStore(redis);
        long before = (await store.ModelVersionUsageAsync()).GetValueOrDefault(1u);

        string otherKey = await RateLimitTests.CreateKeyAsync(Client, Api.NewTenant());
        using HttpClient other = fixture.Silo.CreateClient(otherKey);
        await Api.AssertErrorAsync(await other.SendAsync(Delete(tenant, "gone")), HttpStatusCode.Forbidden, "forbidden");
        await Api.AssertErrorAsync(await other.DeleteAsync("v1/streams/gone"), HttpStatusCode.NotFound, "stream_not_found");

        Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync(Delete(tenant, "gone"))).StatusCode);
        await Api.AssertErrorAsync(await Client.SendAsync(Delete(tenant, "gone")), HttpStatusCode.NotFound, "stream_not_found");
        long after = (await store.ModelVersionUsageAsync()).GetValueOrDefault(1u);
        Assert.Equal(3, before - after);
        List<StreamInfo> listed = (await (await Client.SendAsync(Api.Get(tenant, "v1/streams"))).Content.ReadFromJsonAsync<List<StreamInfo>>(GridJson.Options))!;
        Assert.Equal(["kept"], listed.Select(s => s.Stream));
        Assert.Empty(await Client.ReplayAsync(tenant, "kept", "?from=1"));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.SendAsync(Api.Get(tenant, "v1/streams/gone/frames"))).StatusCode);
    }

    private static HttpRequestMessage Delete(string tenant, string stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, $"v1/streams/{stream}");
        request.Headers.Add(GridHeaders.Tenant, tenant);
        return request;
    }
}

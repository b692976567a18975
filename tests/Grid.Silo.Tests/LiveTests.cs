using System.Net;
using System.Net.WebSockets;
using Grid.Contracts.Api;
using Grid.Imaging;

namespace Grid.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class LiveTests(SiloFixture fixture)
{
    [Fact]
    public async Task LiveDeliversFramesAppendedAfterConnectingInOrder()
    {
        string tenant = Api.NewTenant();
        await fixture.Client.AppendAsync(tenant, "cam", TestImages.Png(24, 16, seed: 0)); // exists, with a backlog of one
        using ClientWebSocket socket = await WebSocketClient.ConnectAsync(fixture.Silo.BaseAddress, tenant, "v1/streams/cam/live");

        var appended = new List<AppendResult>();
        for (int i = 1; i <= 5; i++)
        {
            appended.Add(await fixture.Client.AppendAsync(tenant, "cam", TestImages.Png(24, 16, seed: i)));
        }
        var received = new List<StreamRecord>();
        for (int i = 0; i < 5; i++)
        {
            received.Add(await WebSocketClient.ReceiveRecordAsync(socket));
        }

        Assert.Equal([1L, 2, 3, 4, 5], received.Select(r => r.Sequence)); // not the backlog frame 0
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(fixture.Codec.Encode(TestImages.Pattern(24, 16, i + 1)), received[i].Payload);
            Assert.Equal(1u, received[i].ModelVersion);
        }
        await WebSocketClient.CloseAsync(socket);
    }

    [Fact]
    public async Task LiveFromASequenceSendsTheBacklogThenNewFrames()
    {
        string tenant = Api.NewTenant();
        for (int i = 0; i < 3; i++)
        {
            await fixture.Client.AppendAsync(tenant, "cam", TestImages.Png(16, 16, seed: i));
        }
        using ClientWebSocket socket = await WebSocketClient.ConnectAsync(fixture.Silo.BaseAddress, tenant, "v1/streams/cam/live?from=1");

        StreamRecord first = await WebSocketClient.ReceiveRecordAsync(socket);
        StreamRecord second = await WebSocketClient.ReceiveRecordAsync(socket);
        await fixture.Client.AppendAsync(tenant, "cam", TestImages.Png(16, 16, seed: 3));
        StreamRecord third = await WebSocketClient.ReceiveRecordAsync(socket);

        Assert.Equal([1L, 2, 3], new[] { first.Sequence, second.Sequence, third.Sequence });
        await WebSocketClient.CloseAsync(socket);
    }

    [Fact]
    public async Task LiveAsPngSendsDecodedImages()
    {
        string tenant = Api.NewTenant();
        await fixture.Client.AppendAsync(tenant, "cam", TestImages.Png(20, 20, seed: 0));
        using ClientWebSocket socket = await WebSocketClient.ConnectAsync(fixture.Silo.BaseAddress, tenant, "v1/streams/cam/live?format=png");

        await fixture.Client.AppendAsync(tenant, "cam", TestImages.Png(20, 20, seed: 1));
        StreamRecord record = await WebSocketClient.ReceiveRecordAsync(socket);

        Assert.Equal(1, record.Sequence);
        byte[] frame = fixture.Codec.Encode(TestImages.Pattern(20, 20, 1));
        Assert.Equal(fixture.Codec.Decode(frame).Pixels, Png.Decode(record.Payload).Pixels);
        await WebSocketClient.CloseAsync(socket);
    }

    [Fact]
    public async Task DeletingTheStreamEndsItsLiveSubscriptions()
    {
        string tenant = Api.NewTenant();
        await fixture.Client.AppendAsync(tenant, "doomed", TestImages.Png(16, 16, seed: 0));
        using ClientWebSocket socket = await WebSocketClient.ConnectAsync(fixture.Silo.BaseAddress, tenant, "v1/streams/doomed/live");

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "v1/streams/doomed");
        delete.Headers.Add(GridHeaders.Tenant, tenant); // the admin key acting for the tenant
        using HttpResponseMessage deleted = await fixture.Client.SendAsync(delete);
        Assert.True(deleted.StatusCode == HttpStatusCode.NoContent, $"{(int)deleted.StatusCode} {await deleted.Content.ReadAsStringAsync()}");
        var closed = await WebSocketClient.ReceiveAsync(socket, TimeSpan.FromSeconds(10));

        Assert.Null(closed); // closed, no record
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        Assert.Equal("the stream was deleted", socket.CloseStatusDescription);
    }
}

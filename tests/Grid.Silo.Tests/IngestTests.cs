using System.Net.WebSockets;
using Grid.Contracts.Api;

namespace Grid.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class IngestTests(SiloFixture fixture)
{
    [Fact]
    public async Task PipelinedFramesAreAcknowledgedInOrderWithADuplicateAndAnErrorInTheMiddle()
    {
        string tenant = Api.NewTenant();
        using ClientWebSocket socket = await WebSocketClient.ConnectAsync(fixture.Silo.BaseAddress, tenant, "v1/streams/cam/ingest");
        byte[] readyFrame = fixture.Codec.Encode(TestImages.Pattern(32, 24, 99));
        var messages = new List<byte[]>();
        for (int i = 0; i < 12; i++)
        {
            messages.Add(WebSocketClient.IngestMessage(i, 0, TestImages.Png(32, 24, seed: i)));
        }
        messages.Insert(6, WebSocketClient.IngestMessage(3, 0, TestImages.Png(32, 24, seed: 3)));        // a retry: duplicate
        messages.Insert(9, WebSocketClient.IngestMessage(100, 0, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]));      // a broken PNG: error
        messages.Add(WebSocketClient.IngestMessage(12, 1, readyFrame));                                     // a ready VQF frame

        // Send everything before reading any ack: the frames are in flight together and batch in the codec.
        foreach (byte[] message in messages)
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        }
        var acks = new List<IngestAck>();
        for (int i = 0; i < messages.Count; i++)
        {
            acks.Add(await WebSocketClient.ReceiveAckAsync(socket));
        }

        long[] expectedSequences = [0, 1, 2, 3, 4, 5, 3, 6, 7, 100, 8, 9, 10, 11, 12];
        Assert.Equal(expectedSequences, acks.Select(a => a.Sequence));
        Assert.Equal("duplicate", acks[6].Status);
        Assert.Equal("error", acks[9].Status);
        Assert.Equal("image_invalid", acks[9].Code);
        Assert.False(string.IsNullOrEmpty(acks[9].Message));
        Assert.All(acks.Where((_, i) => i is not 6 and not 9), a => Assert.Equal("stored", a.Status));
        Assert.All(acks.Where((_, i) => i is not 9), a => Assert.Equal(1u, a.ModelVersion));
        await WebSocketClient.CloseAsync(socket);

        List<StreamRecord> stored = await fixture.Client.ReplayAsync(tenant, "cam");
        Assert.Equal(Enumerable.Range(0, 13).Select(i => (long)i), stored.Select(r => r.Sequence));
        Assert.Equal(fixture.Codec.Encode(TestImages.Pattern(32, 24, 3)), stored[3].Payload);
        Assert.Equal(readyFrame, stored[12].Payload);
    }

    [Fact]
    public async Task AutoSequencesFollowTheOrderSent()
    {
        string tenant = Api.NewTenant();
        using ClientWebSocket socket = await WebSocketClient.ConnectAsync(fixture.Silo.BaseAddress, tenant, "v1/streams/cam/ingest");

        for (int i = 0; i < 20; i++)
        {
            await socket.SendAsync(WebSocketClient.IngestMessage(-1, 0, TestImages.Png(16, 16, seed: i)), WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        var acks = new List<IngestAck>();
        for (int i = 0; i < 20; i++)
        {
            acks.Add(await WebSocketClient.ReceiveAckAsync(socket));
        }
        await WebSocketClient.CloseAsync(socket);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), acks.Select(a => a.Sequence));
        List<StreamRecord> stored = await fixture.Client.ReplayAsync(tenant, "cam");
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(fixture.Codec.Encode(TestImages.Pattern(16, 16, i)), stored[i].Payload);
        }
    }

    [Fact]
    public async Task AcknowledgementsCarryStreamRejections()
    {
        string tenant = Api.NewTenant();
        using ClientWebSocket socket = await WebSocketClient.ConnectAsync(fixture.Silo.BaseAddress, tenant, "v1/streams/cam/ingest");

        await socket.SendAsync(WebSocketClient.IngestMessage(5, 0, TestImages.Png(16, 16)), WebSocketMessageType.Binary, true, CancellationToken.None);
        await socket.SendAsync(WebSocketClient.IngestMessage(4, 0, TestImages.Png(16, 16)), WebSocketMessageType.Binary, true, CancellationToken.None);
        await socket.SendAsync(WebSocketClient.IngestMessage(6, 0, TestImages.Png(20, 16)), WebSocketMessageType.Binary, true, CancellationToken.None);
        await socket.SendAsync(WebSocketClient.IngestMessage(-7, 0, TestImages.Png(16, 16)), WebSocketMessageType.Binary, true, CancellationToken.None);
        IngestAck[] acks = [await WebSocketClient.ReceiveAckAsync(socket), await WebSocketClient.ReceiveAckAsync(socket),
            await WebSocketClient.ReceiveAckAsync(socket), await WebSocketClient.ReceiveAckAsync(socket)];
        await WebSocketClient.CloseAsync(socket);

        Assert.Equal("stored", acks[0].Status);
        Assert.Equal(("error", "sequence_out_of_order"), (acks[1].Status, acks[1].Code));
        Assert.Equal(("error", "dimension_mismatch"), (acks[2].Status, acks[2].Code));
        Assert.Equal(("error", "invalid_argument"), (acks[3].Status, acks[3].Code));
    }

    [Fact]
    public async Task ATextMessageClosesTheSocketWith1003AfterEarlierAcks()
    {
        using ClientWebSocket socket = await WebSocketClient.ConnectAsync(fixture.Silo.BaseAddress, Api.NewTenant(), "v1/streams/cam/ingest");

        await socket.SendAsync(WebSocketClient.IngestMessage(0, 0, TestImages.Png(16, 16)), WebSocketMessageType.Binary, true, CancellationToken.None);
        await socket.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        IngestAck ack = await WebSocketClient.ReceiveAckAsync(socket);
        var closed = await WebSocketClient.ReceiveAsync(socket, TimeSpan.FromSeconds(10));

        Assert.Equal("stored", ack.Status);
        Assert.Null(closed);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, socket.CloseStatus);
        Assert.Contains("binary", socket.CloseStatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownKindClosesTheSocketWith1003()
    {
        using ClientWebSocket socket = await WebSocketClient.ConnectAsync(fixture.Silo.BaseAddress, Api.NewTenant(), "v1/streams/cam/ingest");

        await socket.SendAsync(WebSocketClient.IngestMessage(0, 7, [1, 2, 3]), WebSocketMessageType.Binary, true, CancellationToken.None);
        var closed = await WebSocketClient.ReceiveAsync(socket, TimeSpan.FromSeconds(10));

        Assert.Null(closed);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, socket.CloseStatus);
        Assert.Contains("kind 7", socket.CloseStatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOversizedMessageClosesTheSocketWith1009()
    {
        using ClientWebSocket socket = await WebSocketClient.ConnectAsync(fixture.Silo.BaseAddress, Api.NewTenant(), "v1/streams/cam/ingest");

        await socket.SendAsync(WebSocketClient.IngestMessage(0, 0, new byte[SiloFixture.MaxBodyBytes + 100]), WebSocketMessageType.Binary, true, CancellationToken.None);
        var closed = await WebSocketClient.ReceiveAsync(socket, TimeSpan.FromSeconds(10));

        Assert.Null(closed);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, socket.CloseStatus);
    }
}

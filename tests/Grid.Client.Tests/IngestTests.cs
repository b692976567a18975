using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.TestServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Grid.Client.Tests;

public sealed class IngestTests
{
    private const string IngestPath = "/v1/streams/cam/ingest";

    [Fact]
    public async Task FramesArePipelinedUpToTheWindowAndNeverBeyond()
    {
        const int Window = 4;
        const int Total = 20;
        int mostOutstanding = 0;
        var closeStatus = new TaskCompletionSource<WebSocketCloseStatus?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.Map(IngestPath, async (HttpContext context) =>
        {
            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
            int received = 0;
            var arrived = Channel.CreateUnbounded<long>();
            Task receiver = Task.Run(async () =>
            {
                byte[] buffer = new byte[4096];
                while (true)
                {
                    ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(), default);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        closeStatus.TrySetResult(socket.CloseStatus);
                        return;
                    }
                    Interlocked.Increment(ref received);
                    arrived.Writer.TryWrite(BinaryPrimitives.ReadInt64LittleEndian(buffer));
                }
            });
            var waiting = new Queue<long>();
            for (int acked = 0; acked < Total; acked++)
            {
                while (waiting.Count < Math.Min(Window, Total - acked))
                {
                    waiting.Enqueue(await arrived.Reader.ReadAsync());
                }
                await Task.Delay(30); // a client ignoring its window would send more meanwhile
                mostOutstanding = Math.Max(mostOutstanding, Volatile.Read(ref received) - acked);
                byte[] ack = JsonSerializer.SerializeToUtf8Bytes(new IngestAck(waiting.Dequeue(), IngestStatus.Stored, 3, 100), GridJson.Options);
                await socket.SendAsync(ack, WebSocketMessageType.Text, true, default);
            }
            await receiver;
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", default);
        }));
        using GridClient client = TestClients.For(server, options => options.IngestWindow = Window);

        await using IngestSession session = await client.OpenIngestAsync("cam");
        Task<List<IngestAck>> reading = Task.Run(async () =>
        {
            List<IngestAck> acks = [];
            await foreach (IngestAck ack in session.ReadAcksAsync())
            {
                acks.Add(ack);
            }
            return acks;
        });
        for (int sequence = 0; sequence < Total; sequence++)
        {
            await session.SendAsync(sequence, IngestFrameKind.Image, TestImages.FakePng(8, 8));
        }
        await session.CompleteAsync();
        List<IngestAck> acks = await reading;

        Assert.Equal(Enumerable.Range(0, Total).Select(i => (long)i), acks.Select(a => a.Sequence));
        Assert.All(acks, ack => Assert.Equal(IngestStatus.Stored, ack.Status));
        Assert.Equal(Window, mostOutstanding);
        Assert.Equal((long)Total, session.Acknowledged);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await closeStatus.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task RefusedFramesAreAcknowledgedAsErrorsAndTheSessionGoesOn()
    {
        (ScriptedServer server, FakeSilo silo) = await FakeSilo.StartAsync();
        await using ScriptedServer _ = server;
        using GridClient client = TestClients.For(server);

        await using IngestSession session = await client.OpenIngestAsync("cam");
        IngestAck stored = await session.SendAndWaitAsync(0, IngestFrameKind.Image, TestImages.FakePng(8, 8));
        IngestAck duplicate = await session.SendAndWaitAsync(0, IngestFrameKind.Image, TestImages.FakePng(8, 8));
        IngestAck refused = await session.SendAndWaitAsync(1, IngestFrameKind.Image, TestImages.FakePng(16, 16));
        IngestAck automatic = await session.SendAndWaitAsync(null, IngestFrameKind.Image, TestImages.FakePng(8, 8));

        Assert.Equal((0L, IngestStatus.Stored), (stored.Sequence, stored.Status));
        Assert.Equal((0L, IngestStatus.Duplicate), (duplicate.Sequence, duplicate.Status));
        Assert.True(IngestStatus.IsError(refused));
        Assert.Equal(ErrorCodes.DimensionMismatch, refused.Code);
        Assert.Equal((1L, IngestStatus.Stored), (automatic.Sequence, automatic.Status));
        Assert.Equal(4, session.Sent);
        Assert.All(silo.Appends, append => Assert.Equal("ws", append.Transport));
    }

    [Fact]
    public async Task ARerunOfTheSameSequenceNumbersIsAllDuplicates()
    {
        (ScriptedServer server, FakeSilo _) = await FakeSilo.StartAsync();
        await using ScriptedServer __ = server;
        using GridClient client = TestClients.For(server);

        async Task<List<string>> PushAsync()
        {
            await using IngestSession session = await client.OpenIngestAsync("cam");
            for (int sequence = 0; sequence < 3; sequence++)
            {
                await session.SendAsync(sequence, IngestFrameKind.Image, TestImages.FakePng(8, 8));
            }
            await session.CompleteAsync();
            List<string> statuses = [];
            await foreach (IngestAck ack in session.ReadAcksAsync())
            {
                statuses.Add(ack.Status);
            }
            return statuses;
        }

        Assert.Equal(Enumerable.Repeat(IngestStatus.Stored, 3), await PushAsync());
        Assert.Equal(Enumerable.Repeat(IngestStatus.Duplicate, 3), await PushAsync());
    }

    [Fact]
    public async Task AProtocolCloseFaultsTheSession()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.Map(IngestPath, async (HttpContext context) =>
        {
            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
            await socket.ReceiveAsync(new byte[4096].AsMemory(), default);
            await socket.CloseAsync(WebSocketCloseStatus.InvalidMessageType, "kind 7 is neither image nor frame", default);
        }));
        using GridClient client = TestClients.For(server);

        await using IngestSession session = await client.OpenIngestAsync("cam");
        await session.SendAsync(0, IngestFrameKind.Image, TestImages.FakePng(8, 8));

        GridProtocolException error = await Assert.ThrowsAsync<GridProtocolException>(async () =>
        {
            await foreach (IngestAck _ in session.ReadAcksAsync())
            {
            }
        });
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, error.CloseStatus);
        Assert.Contains("kind 7", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<GridProtocolException>(async () => await session.SendAsync(1, IngestFrameKind.Image, TestImages.FakePng(8, 8)));
    }

    [Fact]
    public async Task ASenderWaitingForTheWindowIsReleasedWhenTheConnectionDies()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.Map(IngestPath, async (HttpContext context) =>
        {
            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
            await socket.ReceiveAsync(new byte[4096].AsMemory(), default);
            await socket.ReceiveAsync(new byte[4096].AsMemory(), default);
            await Task.Delay(300);
            context.Abort(); // the silo dies with two frames unacknowledged
        }));
        using GridClient client = TestClients.For(server, options => options.IngestWindow = 2);

        await using IngestSession session = await client.OpenIngestAsync("cam");
        Task sending = Task.Run(async () =>
        {
            for (int sequence = 0; sequence < 5; sequence++)
            {
                await session.SendAsync(sequence, IngestFrameKind.Image, TestImages.FakePng(8, 8));
            }
        });

        GridConnectionException error = await Assert.ThrowsAsync<GridConnectionException>(() => sending.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(server.BaseAddress, error.Server);
        Assert.Equal(2, session.Sent);
    }

    [Fact]
    public async Task DisposeWaitsForOutstandingAcksThenClosesCleanly()
    {
        var closeStatus = new TaskCompletionSource<WebSocketCloseStatus?>(TaskCreationOptions.RunContinuationsAsynchronously);
        int acked = 0;
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.Map(IngestPath, async (HttpContext context) =>
        {
            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
            byte[] buffer = new byte[4096];
            while (true)
            {
                ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(), default);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    closeStatus.TrySetResult(socket.CloseStatus);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", default);
                    return;
                }
                await Task.Delay(50); // slow enough that frames are still in flight when the client disposes
                long sequence = BinaryPrimitives.ReadInt64LittleEndian(buffer);
                await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new IngestAck(sequence, IngestStatus.Stored), GridJson.Options), WebSocketMessageType.Text, true, default);
                Interlocked.Increment(ref acked);
            }
        }));
        using GridClient client = TestClients.For(server);

        IngestSession session = await client.OpenIngestAsync("cam");
        for (int sequence = 0; sequence < 3; sequence++)
        {
            await session.SendAsync(sequence, IngestFrameKind.Frame, "VQF1"u8.ToArray());
        }
        await session.DisposeAsync();

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await closeStatus.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(3, Volatile.Read(ref acked));
        Assert.Equal(3, session.Acknowledged);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await session.SendAsync(3, IngestFrameKind.Frame, "VQF1"u8.ToArray()));
    }
}

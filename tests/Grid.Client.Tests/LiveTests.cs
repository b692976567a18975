using System.Net;
using System.Net.WebSockets;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.TestServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Grid.Client.Tests;

public sealed class LiveTests
{
    private const string LivePath = "/v1/streams/cam/live";

    [Fact]
    public async Task LiveJoinsMessagesSentInFragments()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.Map(LivePath, async (HttpContext context) =>
        {
            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
            await socket.SendAsync(RecordFormat.Encode(TestRecords.Make(0)), WebSocketMessageType.Binary, true, default);
            byte[] split = RecordFormat.Encode(TestRecords.Make(1));
            await socket.SendAsync(split.AsMemory(0, 5), WebSocketMessageType.Binary, false, default);
            await socket.SendAsync(split.AsMemory(5, 20), WebSocketMessageType.Binary, false, default);
            await socket.SendAsync(split.AsMemory(25), WebSocketMessageType.Binary, true, default);
            byte[] large = RecordFormat.Encode(TestRecords.Make(2, 300_000)); // beyond the reader's first buffer
            for (int offset = 0; offset < large.Length; offset += 70_000)
            {
                int length = Math.Min(70_000, large.Length - offset);
                await socket.SendAsync(large.AsMemory(offset, length), WebSocketMessageType.Binary, offset + length == large.Length, default);
            }
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "end of test", default);
        }));
        using GridClient client = TestClients.For(server);

        List<StreamRecord> records = [];
        await foreach (StreamRecord record in client.LiveAsync("cam", from: 0))
        {
            records.Add(record);
        }

        Assert.Equal([0L, 1L, 2L], records.Select(r => r.Sequence));
        Assert.True(TestRecords.IsIntact(records[0]));
        Assert.True(TestRecords.IsIntact(records[1]));
        Assert.True(TestRecords.IsIntact(records[2], 300_000));
        Assert.Equal("?format=vqf&from=0", server.Requests.Single().Query);
    }

    [Fact]
    public async Task LiveReconnectsAfterTheLastFrameWhenTheConnectionDrops()
    {
        int connections = 0;
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.Map(LivePath, async (HttpContext context) =>
        {
            bool first = Interlocked.Increment(ref connections) == 1;
            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
            long from = long.Parse(context.Request.Query["from"].FirstOrDefault() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            for (long sequence = from; sequence < (first ? 3 : 5); sequence++)
            {
                await socket.SendAsync(RecordFormat.Encode(TestRecords.Make(sequence)), WebSocketMessageType.Binary, true, default);
            }
            if (first)
            {
                await Task.Delay(100);
                context.Abort(); // no close handshake: the connection just ends
                return;
            }
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", default);
        }));
        using GridClient client = TestClients.For(server);

        List<long> sequences = [];
        await foreach (StreamRecord record in client.LiveAsync("cam", from: 0))
        {
            sequences.Add(record.Sequence);
        }

        Assert.Equal([0L, 1L, 2L, 3L, 4L], sequences);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("?format=vqf&from=0", server.Requests[0].Query);
        // Normally from=3; a reset connection may discard records not read yet, and the client resumes after its last.
        // Each record still arrives exactly once (above).
        Assert.InRange(ReplayTests.QueryNumber(server.Requests[1], "from"), 0, 3);
    }

    [Fact]
    public async Task LiveDeliversTheBacklogThenNewFrames()
    {
        (ScriptedServer server, FakeSilo _) = await FakeSilo.StartAsync();
        await using ScriptedServer __ = server;
        using GridClient client = TestClients.For(server);
        for (int i = 0; i < 3; i++)
        {
            await client.AppendAsync("cam", TestImages.FakePng(8, 8, fill: (byte)i), sequence: i);
        }
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        List<StreamRecord> received = [];
        await foreach (StreamRecord record in client.LiveAsync("cam", from: 1, format: PayloadFormat.Png, cancellationToken: stop.Token))
        {
            received.Add(record);
            if (record.Sequence == 2)
            {
                // The backlog is in; these arrive live.
                await client.AppendAsync("cam", TestImages.FakePng(8, 8, fill: 3), sequence: 3);
                await client.AppendAsync("cam", TestImages.FakePng(8, 8, fill: 4), sequence: 4);
            }
            if (record.Sequence == 4)
            {
                break;
            }
        }

        Assert.Equal([1L, 2L, 3L, 4L], received.Select(r => r.Sequence));
        Assert.Equal(TestImages.FakePng(8, 8, fill: 4), received[^1].Payload);
    }

    [Fact]
    public async Task LiveOfAMissingStreamIsRefusedBeforeTheUpgrade()
    {
        (ScriptedServer server, FakeSilo _) = await FakeSilo.StartAsync();
        await using ScriptedServer __ = server;
        using GridClient client = TestClients.For(server);

        GridApiException error = await Assert.ThrowsAsync<GridApiException>(async () =>
        {
            await foreach (StreamRecord _ in client.LiveAsync("nothing-here"))
            {
            }
        });

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(ErrorCodes.StreamNotFound, error.Code);
    }

    [Fact]
    public async Task AProtocolCloseIsAProtocolError()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.Map(LivePath, async (HttpContext context) =>
        {
            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "tenant may not read this stream", default);
        }));
        using GridClient client = TestClients.For(server);

        GridProtocolException error = await Assert.ThrowsAsync<GridProtocolException>(async () =>
        {
            await foreach (StreamRecord _ in client.LiveAsync("cam"))
            {
            }
        });

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, error.CloseStatus);
        Assert.Contains("tenant may not read this stream", error.Message, StringComparison.Ordinal);
    }
}

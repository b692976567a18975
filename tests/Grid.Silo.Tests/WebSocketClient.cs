using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Grid.Contracts.Api;

namespace Grid.Silo.Tests;

/// <summary>WebSocket helpers for the live and ingest endpoints.</summary>
internal static class WebSocketClient
{
    /// <summary>Connects with the test admin key acting for <paramref name="tenant"/>.</summary>
    public static async Task<ClientWebSocket> ConnectAsync(Uri baseAddress, string tenant, string pathAndQuery)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader(GridHeaders.Tenant, tenant);
        socket.Options.SetRequestHeader("Authorization", "Bearer " + Grid.TestSupport.SiloProcess.TestAdminKey);
        var uri = new Uri(new Uri(baseAddress.ToString().Replace("http://", "ws://", StringComparison.Ordinal)), pathAndQuery);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(uri, timeout.Token);
        return socket;
    }

    /// <summary>One whole message; null once the server closed.</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Data)?> ReceiveAsync(WebSocket socket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var data = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            data.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, data.ToArray());
            }
        }
    }

    public static async Task<StreamRecord> ReceiveRecordAsync(WebSocket socket)
    {
        (WebSocketMessageType type, byte[] data) = await ReceiveAsync(socket, TimeSpan.FromSeconds(15))
            ?? throw new InvalidOperationException($"the server closed the socket: {socket.CloseStatus} {socket.CloseStatusDescription}");
        Assert.Equal(WebSocketMessageType.Binary, type);
        return RecordFormat.Decode(data);
    }

    public static async Task<IngestAck> ReceiveAckAsync(WebSocket socket)
    {
        (WebSocketMessageType type, byte[] data) = await ReceiveAsync(socket, TimeSpan.FromSeconds(15))
            ?? throw new InvalidOperationException($"the server closed the socket: {socket.CloseStatus} {socket.CloseStatusDescription}");
        Assert.Equal(WebSocketMessageType.Text, type);
        return JsonSerializer.Deserialize<IngestAck>(Encoding.UTF8.GetString(data), GridJson.Options)!;
    }

    public static byte[] IngestMessage(long sequence, byte kind, byte[] payload)
    {
        byte[] message = new byte[9 + payload.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(message, sequence);
        message[8] = kind;
        payload.CopyTo(message, 9);
        return message;
    }

    public static async Task CloseAsync(WebSocket socket)
    {
        if (socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        }
    }
}

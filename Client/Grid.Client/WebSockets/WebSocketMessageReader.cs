using System.Net.WebSockets;

namespace Grid.Client.WebSockets;

/// <summary>
/// Reads whole WebSocket messages, joining the fragments a message may arrive in, into one reused buffer that grows
/// up to a limit.
/// </summary>
internal sealed class WebSocketMessageReader(WebSocket socket, int maxMessageBytes)
{
    private byte[] _buffer = new byte[Math.Min(64 * 1024, maxMessageBytes)];

    /// <summary>
    /// The next message: its type and length (the bytes are <see cref="Data"/> until the next read), or
    /// <see cref="WebSocketMessageType.Close"/> when the server closed.
    /// </summary>
    /// <exception cref="GridProtocolException">The message is larger than the limit.</exception>
    internal async ValueTask<(WebSocketMessageType Type, int Length)> ReadAsync(CancellationToken cancellationToken)
    {
        int length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                if (length >= maxMessageBytes)
                {
                    throw new GridProtocolException($"the server sent a WebSocket message over {maxMessageBytes} bytes, the most this client reads");
                }
                Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, maxMessageBytes));
            }
            ValueWebSocketReceiveResult result = await socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, 0);
            }
            length += result.Count;
            if (result.EndOfMessage)
            {
                return (result.MessageType, length);
            }
        }
    }

    /// <summary>The bytes of the message last read.</summary>
    internal ReadOnlySpan<byte> Data(int length) => _buffer.AsSpan(0, length);
}

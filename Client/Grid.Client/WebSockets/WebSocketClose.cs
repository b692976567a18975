using System.Net.WebSockets;

namespace Grid.Client.WebSockets;

/// <summary>Closing a socket without letting a dead peer hold the caller up.</summary>
internal static class WebSocketClose
{
    private static readonly TimeSpan s_closeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Answers or starts the close handshake, waiting briefly; a peer that does not answer is cut off.</summary>
    internal static async Task QuietlyAsync(WebSocket socket, WebSocketCloseStatus status, string description)
    {
        try
        {
            using var timeout = new CancellationTokenSource(s_closeTimeout);
            if (socket.State == WebSocketState.Open)
            {
                // Sends our close, then reads (and drops) what the server still sends until its close arrives.
                await socket.CloseAsync(status, description, timeout.Token).ConfigureAwait(false);
            }
            else if (socket.State == WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(status, description, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }
}

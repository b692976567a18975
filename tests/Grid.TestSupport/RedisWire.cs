using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Grid.TestSupport;

/// <summary>A minimal RESP exchange over a fresh socket, so the harness needs no Redis client library.</summary>
internal static class RedisWire
{
    /// <summary>
    /// Sends one inline command (e.g. <c>PING</c>) and returns the first line of the reply (<c>+PONG</c>,
    /// <c>-LOADING ...</c>); null when nothing listens on the port or the connection closes without a reply.
    /// </summary>
    public static async Task<string?> TryCommandAsync(int port, string command, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cts.Token).ConfigureAwait(false);
            NetworkStream stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), cts.Token).ConfigureAwait(false);
            var line = new StringBuilder();
            byte[] buffer = new byte[256];
            while (true)
            {
                int n = await stream.ReadAsync(buffer, cts.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return line.Length == 0 ? null : line.ToString();
                }
                line.Append(Encoding.ASCII.GetString(buffer, 0, n));
                int end = line.ToString().IndexOf("\r\n", StringComparison.Ordinal);
                if (end >= 0)
                {
                    return line.ToString(0, end);
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace Grid.TestServer;

/// <summary>
/// A loopback port that refuses every connection: a socket is bound to it but never listens, so connecting fails at
/// once, and no other server can take the port while this object lives (unlike a port found free and released).
/// </summary>
public sealed class RefusingPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public RefusingPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address => new($"http://127.0.0.1:{Port}/");

    public void Dispose() => _socket.Dispose();
}

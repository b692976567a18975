using System.Net;
using System.Net.Sockets;

namespace Grid.TestSupport;

/// <summary>Free TCP ports on the loopback interface.</summary>
public static class FreePort
{
    /// <summary>
    /// A port that was free a moment ago: the OS picks it for a listener bound to port 0, which is then closed.
    /// Another process may take it before the caller binds it; callers that start servers retry on that rare race.
    /// </summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}

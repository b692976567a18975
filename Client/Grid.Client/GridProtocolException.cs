using System.Net.WebSockets;

namespace Grid.Client;

/// <summary>
/// A WebSocket conversation broke the API's rules: the server closed it with a protocol status (1003 unsupported data,
/// 1008 policy, 1009 message too big) and a reason, or sent something the client cannot read.
/// </summary>
public sealed class GridProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="closeStatus">The close status the server sent, when it closed the socket.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public GridProtocolException(string message, WebSocketCloseStatus? closeStatus = null, Exception? innerException = null)
        : base(message, innerException)
    {
        CloseStatus = closeStatus;
    }

    /// <summary>The close status the server sent, or null when the client found the fault.</summary>
    public WebSocketCloseStatus? CloseStatus { get; }
}

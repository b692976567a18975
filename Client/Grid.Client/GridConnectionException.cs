namespace Grid.Client;

/// <summary>
/// No answer from the server: the connection could not be made or broke before a response arrived, and the
/// retries allowed for the request are spent. <see cref="Exception.InnerException"/> holds the last failure.
/// </summary>
public sealed class GridConnectionException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="server">The address that did not answer.</param>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The last transport failure.</param>
    public GridConnectionException(Uri server, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Server = server;
    }

    /// <summary>The address that did not answer.</summary>
    public Uri Server { get; }
}

namespace Grid.Storage.Streams;

/// <summary>A live subscription's stream was deleted while it was open: the subscription ends.</summary>
public sealed class StreamDeletedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StreamDeletedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StreamDeletedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public StreamDeletedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

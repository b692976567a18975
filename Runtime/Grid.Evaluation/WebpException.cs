namespace Grid.Evaluation;

/// <summary>cwebp or dwebp is missing, failed or hung; the message says which and carries its stderr.</summary>
public sealed class WebpException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WebpException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the exception that caused it.</summary>
    public WebpException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

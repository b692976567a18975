namespace Grid.Imaging;

/// <summary>Image data could not be decoded; <see cref="Error"/> says why, the message says exactly what.</summary>
public sealed class ImageFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ImageFormatException(ImageError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>Creates the exception with the exception that caused it.</summary>
    public ImageFormatException(ImageError error, string message, Exception? innerException)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>The kind of failure.</summary>
    public ImageError Error { get; }
}

namespace Grid.Imaging;

/// <summary>A video could not be probed or read; the message carries the tail of ffmpeg's/ffprobe's stderr.</summary>
public sealed class VideoException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VideoException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the exception that caused it.</summary>
    public VideoException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

namespace Grid.Contracts.Frames;

/// <summary>Bytes that are not a valid VQF frame. <see cref="Exception.Message"/> says exactly what is wrong.</summary>
public sealed class FrameFormatException : Exception
{
    /// <summary>Creates the exception for a rejected frame.</summary>
    /// <param name="error">The kind of defect.</param>
    /// <param name="message">A precise, human-readable description naming the offending values.</param>
    public FrameFormatException(FrameError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>The kind of defect; map it to an API code with <see cref="ErrorCodes.FromFrameError"/>.</summary>
    public FrameError Error { get; }
}

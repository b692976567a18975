using System.Diagnostics.CodeAnalysis;
using Grid.Codec;
using Grid.Contracts;
using Grid.Contracts.Frames;
using Grid.Grains.Abstractions;

namespace Grid.Grains.Serving;

/// <summary>Turns the codec's expected failures into <see cref="GrainError"/> answers (anything else stays an exception).</summary>
internal static class GrainErrors
{
    /// <summary>The answer for <paramref name="exception"/>; false for an unexpected exception, which the grain rethrows.</summary>
    public static bool TryFrom(Exception exception, [NotNullWhen(true)] out GrainError? error)
    {
        error = exception switch
        {
            QueueFullException full => new GrainError(full.Code, full.Message, (int)Math.Ceiling(full.RetryAfter.TotalSeconds)),
            CodecException codec => new GrainError(codec.Code, codec.Message, codec.Code == ErrorCodes.Unavailable ? 1 : null),
            FrameFormatException frame => new GrainError(ErrorCodes.FromFrameError(frame.Error), frame.Message),
            _ => null,
        };
        return error is not null;
    }
}

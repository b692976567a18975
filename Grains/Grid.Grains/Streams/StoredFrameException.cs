using Grid.Codec;
using Grid.Contracts;

namespace Grid.Grains.Streams;

/// <summary>
/// A stored frame cannot be decoded: damaged in Redis (its checksums fail), or the frames or prior it needs are gone.
/// The server's data, not the request, is at fault (the API answers 500 with <see cref="CodecException.Code"/>).
/// </summary>
public sealed class StoredFrameException(string code, string message, Exception? inner = null) : CodecException(code, message, inner)
{
    /// <summary>The exception for <paramref name="inner"/>, raised while decoding frame <paramref name="sequence"/> of a stream.</summary>
    internal static StoredFrameException Of(string tenant, string stream, long sequence, Exception inner) => new(
        inner is Contracts.Frames.FrameFormatException frame ? ErrorCodes.FromFrameError(frame.Error) : ErrorCodes.Internal,
        $"stored frame {sequence} of stream {tenant}/{stream} does not decode: {inner.Message}",
        inner);
}

using System.Buffers.Binary;

namespace Grid.Client.WebSockets;

/// <summary>One ingest message: <c>i64 sequence (-1: auto) | u8 kind | payload</c>, little-endian.</summary>
internal static class IngestMessage
{
    internal const int HeaderLength = 9;
    internal const long AutoSequence = -1;

    /// <summary>Writes the message into <paramref name="destination"/> (at least <c>9 + payload</c> bytes); returns its length.</summary>
    internal static int Write(Span<byte> destination, long? sequence, IngestFrameKind kind, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, sequence ?? AutoSequence);
        destination[8] = (byte)kind;
        payload.CopyTo(destination[HeaderLength..]);
        return HeaderLength + payload.Length;
    }
}

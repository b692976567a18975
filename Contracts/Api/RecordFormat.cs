using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Grid.Contracts.Api;

/// <summary>
/// Binary framing of <see cref="StreamRecord"/>s (media type <see cref="GridMediaTypes.Records"/>): a body starts with
/// the magic "GRS1", then records back to back, each
/// <c>u64 sequence | u32 model version | i64 timestamp (Unix ms) | u32 payload length | payload</c>, little-endian.
/// A WebSocket message carries one record without the magic.
/// </summary>
public static class RecordFormat
{
    public const int RecordHeaderLength = 24;

    /// <summary>Largest payload a reader accepts (a frame of a 65535x65535 image is ~302 MB; real ones are far smaller).</summary>
    public const int MaxPayloadLength = 64 << 20;

    /// <summary>The four bytes a records body starts with: ASCII "GRS1".</summary>
    public static ReadOnlySpan<byte> Magic => "GRS1"u8;

    /// <summary>One record as bytes (the WebSocket message form).</summary>
    public static byte[] Encode(StreamRecord record)
    {
        var bytes = new byte[RecordHeaderLength + record.Payload.Length];
        WriteHeader(record, bytes);
        record.Payload.CopyTo(bytes, RecordHeaderLength);
        return bytes;
    }

    /// <summary>Parses one record message.</summary>
    public static StreamRecord Decode(ReadOnlySpan<byte> message)
    {
        if (message.Length < RecordHeaderLength)
        {
            throw new InvalidDataException($"record is {message.Length} bytes; its header alone is {RecordHeaderLength}");
        }
        (long sequence, uint version, long timestamp, int length) = ReadHeader(message);
        if (message.Length != RecordHeaderLength + length)
        {
            throw new InvalidDataException($"record header says {length} payload bytes, message holds {message.Length - RecordHeaderLength}");
        }
        return new StreamRecord(sequence, version, timestamp, message[RecordHeaderLength..].ToArray());
    }

    public static async ValueTask WriteMagicAsync(Stream stream, CancellationToken cancellationToken = default) =>
        await stream.WriteAsync("GRS1"u8.ToArray(), cancellationToken).ConfigureAwait(false);

    public static async ValueTask WriteAsync(Stream stream, StreamRecord record, CancellationToken cancellationToken = default)
    {
        byte[] header = new byte[RecordHeaderLength];
        WriteHeader(record, header);
        await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(record.Payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a records body to its end; a truncated record or bad magic throws <see cref="InvalidDataException"/>.</summary>
    public static async IAsyncEnumerable<StreamRecord> ReadAllAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        byte[] magic = new byte[4];
        if (!await ReadExactlyOrEndAsync(stream, magic, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidDataException("records body is empty: expected the magic \"GRS1\"");
        }
        if (!magic.AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException($"records body starts with {Convert.ToHexString(magic)}, not \"GRS1\"");
        }
        byte[] header = new byte[RecordHeaderLength];
        while (await ReadExactlyOrEndAsync(stream, header, cancellationToken).ConfigureAwait(false))
        {
            (long sequence, uint version, long timestamp, int length) = ReadHeader(header);
            byte[] payload = new byte[length];
            if (length > 0 && !await ReadExactlyOrEndAsync(stream, payload, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidDataException($"record {sequence} is truncated");
            }
            yield return new StreamRecord(sequence, version, timestamp, payload);
        }
    }

    private static void WriteHeader(StreamRecord record, Span<byte> header)
    {
        BinaryPrimitives.WriteInt64LittleEndian(header, record.Sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], record.ModelVersion);
        BinaryPrimitives.WriteInt64LittleEndian(header[12..], record.Timestamp);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], record.Payload.Length);
    }

    private static (long Sequence, uint Version, long Timestamp, int Length) ReadHeader(ReadOnlySpan<byte> header)
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
        if (length is < 0 or > MaxPayloadLength)
        {
            throw new InvalidDataException($"record payload length {length} is outside 0..{MaxPayloadLength}");
        }
        return (BinaryPrimitives.ReadInt64LittleEndian(header), BinaryPrimitives.ReadUInt32LittleEndian(header[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(header[12..]), length);
    }

    /// <summary>Fills <paramref name="buffer"/>; false at a clean end of stream before the first byte.</summary>
    private static async ValueTask<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (read == 0)
                {
                    return false;
                }
                throw new InvalidDataException($"records body ends inside a record ({read} of {buffer.Length} bytes)");
            }
            read += n;
        }
        return true;
    }
}

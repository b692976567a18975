using System.Buffers.Binary;
using System.IO.Hashing;

namespace Grid.Imaging.Skia;

/// <summary>
/// A walk over a PNG's chunks, signature to IEND, checking every length and CRC-32 (IEEE, System.IO.Hashing)
/// without decompressing anything. Skia's decoder stops reading once it has the pixels and tolerates some damage;
/// this walk keeps the reader strict: a file cut anywhere before the end of IEND is <see cref="ImageError.Truncated"/>,
/// a chunk whose CRC does not match is <see cref="ImageError.Corrupt"/>.
/// </summary>
internal static class PngChunks
{
    private const string FormatName = "PNG";
    private const int SignatureLength = 8;
    private const int HeaderChunkLength = 13;

    /// <summary>Reads the size from IHDR (checked against <paramref name="limits"/>), then walks every chunk.</summary>
    /// <exception cref="ImageFormatException">Truncated, corrupt, zero-sized or above the limits.</exception>
    internal static (int Width, int Height) Check(ReadOnlySpan<byte> data, ImageLimits limits)
    {
        (int width, int height) = ReadHeader(data, limits);
        int position = SignatureLength;
        while (true)
        {
            if (data.Length - position < 8)
            {
                throw Truncated($"it ends inside the chunk header at offset {position}");
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            ReadOnlySpan<byte> type = data.Slice(position + 4, 4);
            if (length > int.MaxValue)
            {
                throw Corrupt($"chunk {Name(type)} at offset {position} declares {length} bytes (at most 2^31 - 1)");
            }

            long end = position + 12L + length;
            if (end > data.Length)
            {
                throw Truncated($"it ends inside chunk {Name(type)} at offset {position} ({length} data bytes declared)");
            }

            uint stored = BinaryPrimitives.ReadUInt32BigEndian(data[(int)(end - 4)..]);
            uint computed = Crc32.HashToUInt32(data.Slice(position + 4, 4 + (int)length));
            if (stored != computed)
            {
                throw Corrupt($"chunk {Name(type)} at offset {position} fails its CRC (stored 0x{stored:x8}, computed 0x{computed:x8})");
            }

            if (type.SequenceEqual("IEND"u8))
            {
                return (width, height);
            }

            position = (int)end;
        }
    }

    /// <summary>The size IHDR declares (checked against <paramref name="limits"/>); reads nothing past IHDR.</summary>
    internal static (int Width, int Height) ReadHeader(ReadOnlySpan<byte> data, ImageLimits limits)
    {
        if (data.Length < SignatureLength + 8 + HeaderChunkLength + 4)
        {
            throw Truncated("it ends before the IHDR chunk is complete");
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(data[SignatureLength..]) != HeaderChunkLength || !data.Slice(SignatureLength + 4, 4).SequenceEqual("IHDR"u8))
        {
            throw Corrupt("the first chunk is not a 13-byte IHDR");
        }

        uint stored = BinaryPrimitives.ReadUInt32BigEndian(data[(SignatureLength + 8 + HeaderChunkLength)..]);
        if (stored != Crc32.HashToUInt32(data.Slice(SignatureLength + 4, 4 + HeaderChunkLength)))
        {
            throw Corrupt("chunk IHDR fails its CRC");
        }

        uint width = BinaryPrimitives.ReadUInt32BigEndian(data[(SignatureLength + 8)..]);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[(SignatureLength + 12)..]);
        ImageSize.Validate(FormatName, width, height, limits);
        return ((int)width, (int)height);
    }

    private static string Name(ReadOnlySpan<byte> type)
    {
        Span<char> name = stackalloc char[4];
        for (int i = 0; i < 4; i++)
        {
            name[i] = type[i] is >= 0x20 and < 0x7F ? (char)type[i] : '?';
        }

        return new string(name);
    }

    private static ImageFormatException Truncated(string detail) =>
        new(ImageError.Truncated, $"PNG data is truncated: {detail}");

    private static ImageFormatException Corrupt(string detail) =>
        new(ImageError.Corrupt, $"PNG data is corrupt: {detail}");
}

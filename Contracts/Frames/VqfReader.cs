using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Grid.Contracts.Frames;

/// <summary>
/// Reads VQF frames strictly: every header field, the exact length, the CRC32C and the padding bits are checked
/// before any index is returned. Bad frame bytes raise <see cref="FrameFormatException"/> and nothing else.
/// </summary>
public static class VqfReader
{
    /// <summary>Validates a whole frame (header, length, CRC, padding) and returns its header values.</summary>
    /// <param name="frame">Exactly one frame.</param>
    /// <returns>The header values.</returns>
    /// <exception cref="FrameFormatException">The bytes are not a valid frame.</exception>
    public static FrameInfo ReadInfo(ReadOnlySpan<byte> frame) =>
        TryReadInfo(frame, out FrameInfo? info, out FrameFormatException? error) ? info : throw error;

    /// <summary>Validates a whole frame without throwing.</summary>
    /// <param name="frame">Exactly one frame.</param>
    /// <param name="info">The header values when the frame is valid.</param>
    /// <param name="error">What is wrong when it is not (created, not thrown).</param>
    /// <returns>Whether the frame is valid.</returns>
    public static bool TryReadInfo(
        ReadOnlySpan<byte> frame,
        [NotNullWhen(true)] out FrameInfo? info,
        [NotNullWhen(false)] out FrameFormatException? error)
    {
        error = ValidateFrame(frame, out info);
        return error is null;
    }

    /// <summary>
    /// Validates only the fixed header fields (magic through payload length) of the first 31 bytes, for readers
    /// that learn the frame length before they have the whole frame. Length, CRC and padding are not checked:
    /// call <see cref="ReadInfo"/> on the complete frame before trusting it.
    /// </summary>
    /// <param name="header">At least the 31 header bytes; anything after them is ignored.</param>
    /// <returns>The header values; <see cref="FrameInfo.FrameLength"/> is how many bytes the frame has.</returns>
    /// <exception cref="FrameFormatException">The header is short or a field is invalid.</exception>
    public static FrameInfo ReadHeader(ReadOnlySpan<byte> header) =>
        ValidateHeader(header, out FrameInfo? info) is { } error ? throw error : info!;

    /// <summary>Validates a frame and unpacks its indices into a new array.</summary>
    /// <param name="frame">Exactly one frame.</param>
    /// <param name="info">The header values.</param>
    /// <returns><see cref="FrameInfo.IndexCount"/> indices in row-major latent order.</returns>
    /// <exception cref="FrameFormatException">The bytes are not a valid frame.</exception>
    public static ushort[] ReadIndices(ReadOnlySpan<byte> frame, out FrameInfo info)
    {
        info = ReadInfo(frame);
        ushort[] indices = new ushort[info.IndexCount];
        IndexPacking.Unpack(frame[VqfLayout.Payload..], info.BitsPerIndex, indices);
        return indices;
    }

    /// <summary>
    /// Validates a frame and unpacks its indices into the first <see cref="FrameInfo.IndexCount"/> elements of
    /// <paramref name="destination"/>; later elements are left alone.
    /// </summary>
    /// <param name="frame">Exactly one frame.</param>
    /// <param name="destination">At least <see cref="FrameInfo.IndexCount"/> elements.</param>
    /// <param name="info">The header values.</param>
    /// <exception cref="FrameFormatException">The bytes are not a valid frame (checked first).</exception>
    /// <exception cref="ArgumentException">The frame is valid but <paramref name="destination"/> is too small.</exception>
    public static void ReadIndices(ReadOnlySpan<byte> frame, Span<ushort> destination, out FrameInfo info)
    {
        FrameInfo read = ReadInfo(frame);
        if (destination.Length < read.IndexCount)
        {
            throw new ArgumentException(
                $"destination holds {destination.Length} indices; this {read.Width}x{read.Height} frame has {read.IndexCount}",
                nameof(destination));
        }

        IndexPacking.Unpack(frame[VqfLayout.Payload..], read.BitsPerIndex, destination[..read.IndexCount]);
        info = read;
    }

    private static FrameFormatException? ValidateFrame(ReadOnlySpan<byte> frame, out FrameInfo? info)
    {
        info = null;
        if (ValidateHeader(frame, out FrameInfo? header) is { } headerError)
        {
            return headerError;
        }

        long present = frame.Length - VqfFormat.HeaderLength;
        if (present < header!.PayloadLength)
        {
            return new FrameFormatException(
                FrameError.Truncated,
                $"frame is truncated: header says {header.PayloadLength} payload bytes, {present} present");
        }

        if (present > header.PayloadLength)
        {
            return new FrameFormatException(
                FrameError.TrailingBytes,
                $"frame has {present - header.PayloadLength} trailing byte(s): header says {header.PayloadLength} payload bytes, {present} present");
        }

        ReadOnlySpan<byte> payload = frame[VqfLayout.Payload..];
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(frame[VqfLayout.Crc..]);
        uint computed = Crc32C.Compute(frame[..VqfLayout.Crc], payload);
        if (stored != computed)
        {
            return new FrameFormatException(
                FrameError.ChecksumMismatch,
                $"CRC32C mismatch: stored 0x{stored:x8}, computed 0x{computed:x8} over the header and {payload.Length} payload bytes");
        }

        int usedBitsInLastByte = (int)(((long)header.IndexCount * header.BitsPerIndex) % 8);
        if (usedBitsInLastByte != 0 && payload[^1] >> usedBitsInLastByte != 0)
        {
            return new FrameFormatException(
                FrameError.NonZeroPadding,
                $"non-zero padding: last payload byte is 0x{payload[^1]:x2}, its {8 - usedBitsInLastByte} unused high bit(s) must be 0");
        }

        info = header;
        return null;
    }

    private static FrameFormatException? ValidateHeader(ReadOnlySpan<byte> frame, out FrameInfo? info)
    {
        info = null;
        if (frame.Length < VqfFormat.HeaderLength)
        {
            return new FrameFormatException(
                FrameError.TooShort,
                $"frame is too short: {frame.Length} bytes, the VQF header alone is {VqfFormat.HeaderLength}");
        }

        ReadOnlySpan<byte> magic = frame[..VqfFormat.Magic.Length];
        if (!magic.SequenceEqual(VqfFormat.Magic))
        {
            return new FrameFormatException(
                FrameError.BadMagic,
                $"bad magic: expected \"VQF1\" ({FormatHex(VqfFormat.Magic)}), found {FormatHex(magic)}");
        }

        byte version = frame[VqfLayout.Version];
        if (version != VqfFormat.CurrentVersion)
        {
            return new FrameFormatException(
                FrameError.UnsupportedVersion,
                $"unsupported format version {version}: this reader understands version {VqfFormat.CurrentVersion} only");
        }

        if (FrameQualities.FromFlags(frame[VqfLayout.Flags], version, out FrameQuality quality) is { } flagsError)
        {
            return flagsError;
        }

        int width = BinaryPrimitives.ReadUInt16LittleEndian(frame[VqfLayout.Width..]);
        int height = BinaryPrimitives.ReadUInt16LittleEndian(frame[VqfLayout.Height..]);
        if (width == 0 || height == 0)
        {
            return new FrameFormatException(
                FrameError.InvalidDimensions,
                $"invalid image size {width}x{height}: width and height must be at least 1");
        }

        if (VqfFormat.CheckLatentSize(frame, width, height, quality) is { } latentError)
        {
            return latentError;
        }

        int bits = frame[VqfLayout.BitsPerIndex];
        if (bits is < VqfFormat.MinBitsPerIndex or > VqfFormat.MaxBitsPerIndex)
        {
            return new FrameFormatException(
                FrameError.InvalidBitsPerIndex,
                $"invalid bits per index {bits}: must be {VqfFormat.MinBitsPerIndex}..{VqfFormat.MaxBitsPerIndex}");
        }

        var header = new FrameInfo(
            BinaryPrimitives.ReadUInt32LittleEndian(frame[VqfLayout.ModelVersion..]),
            BinaryPrimitives.ReadUInt32LittleEndian(frame[VqfLayout.ModelFingerprint..]),
            width,
            height,
            bits,
            quality);
        uint payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(frame[VqfLayout.PayloadLength..]);
        if (payloadLength != header.PayloadLength)
        {
            return new FrameFormatException(
                FrameError.PayloadLengthMismatch,
                $"payload length mismatch: header says {payloadLength} bytes, {header.LatentWidth}x{header.LatentHeight} indices of {bits} bits need {header.PayloadLength}");
        }

        info = header;
        return null;
    }

    private static string FormatHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}

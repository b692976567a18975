using System.Buffers.Binary;

namespace Grid.Contracts.Frames;

/// <summary>
/// Reads VQF version 2 (entropy-coded) frame headers strictly: every field, the exact length and the CRC-32C over
/// header and payload are checked before the payload is handed to the entropy decoder. Bad bytes raise
/// <see cref="FrameFormatException"/> and nothing else.
/// </summary>
public static class VqfEntropyReader
{
    /// <summary>The format version byte of a frame (after checking its length and magic): 1 fixed-rate, 2 entropy-coded.</summary>
    /// <exception cref="FrameFormatException">Fewer than 5 bytes, or not a VQF frame.</exception>
    public static byte PeekVersion(ReadOnlySpan<byte> frame)
    {
        if (frame.Length <= VqfLayout.Version)
        {
            throw new FrameFormatException(
                FrameError.TooShort,
                $"frame is too short: {frame.Length} bytes, the VQF header alone is {VqfFormat.HeaderLength}");
        }

        if (!frame[..VqfFormat.Magic.Length].SequenceEqual(VqfFormat.Magic))
        {
            throw new FrameFormatException(
                FrameError.BadMagic,
                $"bad magic: expected \"VQF1\" (56514631), found {Convert.ToHexString(frame[..VqfFormat.Magic.Length])}");
        }

        return frame[VqfLayout.Version];
    }

    /// <summary>Validates a whole version 2 frame and returns its header; the payload is <c>frame[VqfFormat.EntropyHeaderLength..]</c>.</summary>
    /// <exception cref="FrameFormatException">The bytes are not a valid version 2 frame.</exception>
    public static EntropyFrameHeader ReadHeader(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < VqfFormat.EntropyHeaderLength)
        {
            throw new FrameFormatException(
                FrameError.TooShort,
                $"frame is too short: {frame.Length} bytes, the VQF version 2 header alone is {VqfFormat.EntropyHeaderLength}");
        }

        byte version = PeekVersion(frame);
        if (version != VqfFormat.EntropyVersion)
        {
            throw new FrameFormatException(
                FrameError.UnsupportedVersion,
                $"unsupported format version {version}: this reader understands version {VqfFormat.EntropyVersion} (entropy-coded) only");
        }

        if (FrameQualities.FromFlags(frame[VqfLayout.Flags], version, out FrameQuality quality) is { } flagsError)
        {
            throw flagsError;
        }

        int width = BinaryPrimitives.ReadUInt16LittleEndian(frame[VqfLayout.Width..]);
        int height = BinaryPrimitives.ReadUInt16LittleEndian(frame[VqfLayout.Height..]);
        if (width == 0 || height == 0)
        {
            throw new FrameFormatException(
                FrameError.InvalidDimensions,
                $"invalid image size {width}x{height}: width and height must be at least 1");
        }

        if (VqfFormat.CheckLatentSize(frame, width, height, quality) is { } latentError)
        {
            throw latentError;
        }

        int bits = frame[VqfLayout.BitsPerIndex];
        if (bits is < VqfFormat.MinBitsPerIndex or > VqfFormat.MaxBitsPerIndex)
        {
            throw new FrameFormatException(
                FrameError.InvalidBitsPerIndex,
                $"invalid bits per index {bits}: must be {VqfFormat.MinBitsPerIndex}..{VqfFormat.MaxBitsPerIndex}");
        }

        var info = new FrameInfo(
            BinaryPrimitives.ReadUInt32LittleEndian(frame[VqfLayout.ModelVersion..]),
            BinaryPrimitives.ReadUInt32LittleEndian(frame[VqfLayout.ModelFingerprint..]),
            width,
            height,
            bits,
            quality);
        var header = new EntropyFrameHeader(
            info,
            (FrameCoding)frame[VqfLayoutV2.Coding],
            (FrameKind)frame[VqfLayoutV2.Kind],
            BinaryPrimitives.ReadUInt32LittleEndian(frame[VqfLayoutV2.PriorFingerprint..]),
            BinaryPrimitives.ReadUInt64LittleEndian(frame[VqfLayoutV2.ReferenceSequence..]),
            BinaryPrimitives.ReadUInt32LittleEndian(frame[VqfLayoutV2.IndexChecksum..]),
            (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(frame[VqfLayoutV2.PayloadLength..])));
        if (CheckFields(header) is { } error)
        {
            throw error;
        }

        long present = frame.Length - VqfFormat.EntropyHeaderLength;
        if (present < header.PayloadLength)
        {
            throw new FrameFormatException(
                FrameError.Truncated,
                $"frame is truncated: header says {header.PayloadLength} payload bytes, {present} present");
        }

        if (present > header.PayloadLength)
        {
            throw new FrameFormatException(
                FrameError.TrailingBytes,
                $"frame has {present - header.PayloadLength} trailing byte(s): header says {header.PayloadLength} payload bytes, {present} present");
        }

        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(frame[VqfLayoutV2.Crc..]);
        uint computed = Crc32C.Compute(frame[..VqfLayoutV2.Crc], frame[VqfLayoutV2.Payload..]);
        if (stored != computed)
        {
            throw new FrameFormatException(
                FrameError.ChecksumMismatch,
                $"CRC32C mismatch: stored 0x{stored:x8}, computed 0x{computed:x8} over the header and {present} payload bytes");
        }

        return header;
    }

    /// <summary>The first field-level defect of a version 2 header (created, not thrown), or null.</summary>
    internal static FrameFormatException? CheckFields(EntropyFrameHeader header)
    {
        if (header.Coding is not (FrameCoding.Baseline or FrameCoding.Learned or FrameCoding.Mixing or FrameCoding.MixingHistory))
        {
            return new FrameFormatException(
                FrameError.UnknownCoding,
                $"unknown coding {(byte)header.Coding}: version {VqfFormat.EntropyVersion} frames are coded with 1 (baseline), 2 (learned prior), 3 (learned prior, mixing coder) or 4 (mixing coder, two references)");
        }

        if (header.Kind is not (FrameKind.Key or FrameKind.Inter))
        {
            return new FrameFormatException(
                FrameError.UnknownKind,
                $"unknown frame kind {(byte)header.Kind}: 0 (key) or 1 (inter)");
        }

        if (header.Kind == FrameKind.Key && header.ReferenceSequence != 0)
        {
            return new FrameFormatException(
                FrameError.InconsistentHeader,
                $"a key frame names reference sequence {header.ReferenceSequence}; key frames have none (0)");
        }

        if (header.Coding == FrameCoding.MixingHistory && (header.Kind != FrameKind.Inter || header.ReferenceSequence == 0))
        {
            return new FrameFormatException(
                FrameError.InconsistentHeader,
                $"a frame of coding 4 (two references) must be an inter frame against a reference sequence of at least 1 (the second reference is the one before it); this one is {(header.Kind == FrameKind.Inter ? "an inter" : "a key")} frame naming {header.ReferenceSequence}");
        }

        if (header.Coding == FrameCoding.Baseline && header.PriorFingerprint != 0)
        {
            return new FrameFormatException(
                FrameError.InconsistentHeader,
                $"a baseline-coded frame names prior {VqfFormat.FormatFingerprint(header.PriorFingerprint)}; baseline coding uses none (0)");
        }

        long max = EntropyFrameHeader.MaxPayloadLength(header.Info);
        if (header.PayloadLength < 0 || header.PayloadLength > max)
        {
            return new FrameFormatException(
                FrameError.PayloadTooLarge,
                $"payload length {header.PayloadLength} is above the {max} bytes allowed for {header.Info.IndexCount} indices");
        }

        return null;
    }
}

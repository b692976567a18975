using System.Buffers.Binary;

namespace Grid.Contracts.Frames;

/// <summary>Writes VQF version 2 (entropy-coded) frames around a payload coded by Grid.Entropy.</summary>
public static class VqfEntropyWriter
{
    /// <summary>Writes a frame of exactly <see cref="EntropyFrameHeader.FrameLength"/> bytes.</summary>
    /// <param name="header">Header values; <see cref="EntropyFrameHeader.PayloadLength"/> must equal the payload's length.</param>
    /// <param name="payload">The range-coded indices.</param>
    /// <returns>The frame bytes.</returns>
    /// <exception cref="ArgumentException">The header is inconsistent (see docs/frame-format.md) or disagrees with the payload.</exception>
    public static byte[] Write(EntropyFrameHeader header, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.PayloadLength != payload.Length)
        {
            throw new ArgumentException($"header says {header.PayloadLength} payload bytes, {payload.Length} given", nameof(payload));
        }

        if (VqfEntropyReader.CheckFields(header) is { } error)
        {
            throw new ArgumentException(error.Message, nameof(header));
        }

        FrameInfo info = header.Info;
        byte[] frame = new byte[header.FrameLength];
        Span<byte> h = frame.AsSpan(0, VqfFormat.EntropyHeaderLength);
        VqfFormat.Magic.CopyTo(h);
        h[VqfLayout.Version] = VqfFormat.EntropyVersion;
        h[VqfLayout.Flags] = FrameQualities.ToFlags(info.Quality);
        BinaryPrimitives.WriteUInt32LittleEndian(h[VqfLayout.ModelVersion..], info.ModelVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(h[VqfLayout.ModelFingerprint..], info.ModelFingerprint);
        BinaryPrimitives.WriteUInt16LittleEndian(h[VqfLayout.Width..], (ushort)info.Width);
        BinaryPrimitives.WriteUInt16LittleEndian(h[VqfLayout.Height..], (ushort)info.Height);
        BinaryPrimitives.WriteUInt16LittleEndian(h[VqfLayout.LatentWidth..], (ushort)info.LatentWidth);
        BinaryPrimitives.WriteUInt16LittleEndian(h[VqfLayout.LatentHeight..], (ushort)info.LatentHeight);
        h[VqfLayout.BitsPerIndex] = (byte)info.BitsPerIndex;
        h[VqfLayoutV2.Coding] = (byte)header.Coding;
        h[VqfLayoutV2.Kind] = (byte)header.Kind;
        BinaryPrimitives.WriteUInt32LittleEndian(h[VqfLayoutV2.PriorFingerprint..], header.PriorFingerprint);
        BinaryPrimitives.WriteUInt64LittleEndian(h[VqfLayoutV2.ReferenceSequence..], header.ReferenceSequence);
        BinaryPrimitives.WriteUInt32LittleEndian(h[VqfLayoutV2.IndexChecksum..], header.IndexChecksum);
        BinaryPrimitives.WriteUInt32LittleEndian(h[VqfLayoutV2.PayloadLength..], (uint)header.PayloadLength);
        payload.CopyTo(frame.AsSpan(VqfLayoutV2.Payload));
        uint crc = Crc32C.Compute(h[..VqfLayoutV2.Crc], payload);
        BinaryPrimitives.WriteUInt32LittleEndian(h[VqfLayoutV2.Crc..], crc);
        return frame;
    }
}

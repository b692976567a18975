using System.Buffers.Binary;

namespace Grid.Contracts.Frames;

/// <summary>Writes VQF version 1 frames.</summary>
public static class VqfWriter
{
    /// <summary>Writes a frame into a new array of exactly <see cref="FrameInfo.FrameLength"/> bytes.</summary>
    /// <param name="info">Header values.</param>
    /// <param name="indices"><see cref="FrameInfo.IndexCount"/> indices in row-major latent order.</param>
    /// <returns>The frame bytes.</returns>
    /// <exception cref="ArgumentException">Wrong number of indices, or an index of 2^bits or more.</exception>
    public static byte[] Write(FrameInfo info, ReadOnlySpan<ushort> indices)
    {
        ArgumentNullException.ThrowIfNull(info);
        byte[] frame = new byte[info.FrameLength];
        Write(info, indices, frame);
        return frame;
    }

    /// <summary>
    /// Writes a frame at the start of <paramref name="destination"/>. Nothing is written when an argument is rejected.
    /// </summary>
    /// <param name="info">Header values.</param>
    /// <param name="indices"><see cref="FrameInfo.IndexCount"/> indices in row-major latent order.</param>
    /// <param name="destination">At least <see cref="FrameInfo.FrameLength"/> bytes.</param>
    /// <returns>Bytes written: <see cref="FrameInfo.FrameLength"/>.</returns>
    /// <exception cref="ArgumentException">
    /// Wrong number of indices, an index of 2^bits or more, or a destination that is too small.
    /// </exception>
    public static int Write(FrameInfo info, ReadOnlySpan<ushort> indices, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (indices.Length != info.IndexCount)
        {
            throw new ArgumentException(
                $"{indices.Length} indices given; a {info.Width}x{info.Height} image has {info.LatentWidth}x{info.LatentHeight} = {info.IndexCount} latent blocks",
                nameof(indices));
        }

        if (destination.Length < info.FrameLength)
        {
            throw new ArgumentException(
                $"destination holds {destination.Length} bytes; this frame needs {info.FrameLength}",
                nameof(destination));
        }

        int bad = IndexPacking.IndexOfOutOfRange(indices, info.BitsPerIndex);
        if (bad >= 0)
        {
            throw new ArgumentException(
                $"index {indices[bad]} at latent ({bad % info.LatentWidth}, {bad / info.LatentWidth}) does not fit in {info.BitsPerIndex} bits (maximum {(1 << info.BitsPerIndex) - 1})",
                nameof(indices));
        }

        Span<byte> frame = destination[..info.FrameLength];
        Span<byte> header = frame[..VqfFormat.HeaderLength];
        Span<byte> payload = frame[VqfLayout.Payload..];

        VqfFormat.Magic.CopyTo(header);
        header[VqfLayout.Version] = VqfFormat.CurrentVersion;
        header[VqfLayout.Flags] = FrameQualities.ToFlags(info.Quality);
        BinaryPrimitives.WriteUInt32LittleEndian(header[VqfLayout.ModelVersion..], info.ModelVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[VqfLayout.ModelFingerprint..], info.ModelFingerprint);
        BinaryPrimitives.WriteUInt16LittleEndian(header[VqfLayout.Width..], (ushort)info.Width);
        BinaryPrimitives.WriteUInt16LittleEndian(header[VqfLayout.Height..], (ushort)info.Height);
        BinaryPrimitives.WriteUInt16LittleEndian(header[VqfLayout.LatentWidth..], (ushort)info.LatentWidth);
        BinaryPrimitives.WriteUInt16LittleEndian(header[VqfLayout.LatentHeight..], (ushort)info.LatentHeight);
        header[VqfLayout.BitsPerIndex] = (byte)info.BitsPerIndex;
        BinaryPrimitives.WriteUInt32LittleEndian(header[VqfLayout.PayloadLength..], (uint)info.PayloadLength);

        IndexPacking.PackUnchecked(indices, info.BitsPerIndex, payload);

        uint crc = Crc32C.Compute(header[..VqfLayout.Crc], payload);
        BinaryPrimitives.WriteUInt32LittleEndian(header[VqfLayout.Crc..], crc);
        return frame.Length;
    }
}

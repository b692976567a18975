using System.Buffers.Binary;
using Grid.Contracts.Frames;

namespace Grid.Contracts.Tests;

/// <summary>Frames and helpers shared by the format tests.</summary>
internal static class TestFrames
{
    /// <summary>
    /// Model version 3, fingerprint 0x1a2b3c4d, an 8x4 image (2x1 latents), 9-bit indices {1, 511}. Written by hand
    /// from the spec; the CRC was computed independently with a bitwise CRC-32C in Python.
    /// </summary>
    public static byte[] Golden =>
    [
        0x56, 0x51, 0x46, 0x31,         // magic "VQF1"
        0x01,                           // format version 1
        0x00,                           // flags
        0x03, 0x00, 0x00, 0x00,         // model version 3
        0x4D, 0x3C, 0x2B, 0x1A,         // model fingerprint 0x1a2b3c4d
        0x08, 0x00,                     // width 8
        0x04, 0x00,                     // height 4
        0x02, 0x00,                     // latent width 2
        0x01, 0x00,                     // latent height 1
        0x09,                           // bits per index 9
        0x03, 0x00, 0x00, 0x00,         // payload length 3
        0x4E, 0x25, 0xF0, 0xE2,         // CRC32C 0xe2f0254e
        0x01, 0xFE, 0x03,               // payload: 1 in bits 0..8, 511 in bits 9..17, bits 18..23 zero
    ];

    public static FrameInfo GoldenInfo => new(3, 0x1A2B3C4D, 8, 4, 9);

    public static ushort[] GoldenIndices => [1, 511];

    /// <summary>A second small frame with several payload bytes: 13x7 image, 4x2 latents, 12 bits.</summary>
    public static byte[] Small()
    {
        var info = new FrameInfo(42, 0xCAFEF00D, 13, 7, 12);
        return VqfWriter.Write(info, RandomIndices(new Random(5), info.IndexCount, 12));
    }

    public static ushort[] RandomIndices(Random random, int count, int bits)
    {
        ushort[] indices = new ushort[count];
        for (int i = 0; i < count; i++)
        {
            indices[i] = (ushort)random.Next(1 << bits);
        }

        return indices;
    }

    /// <summary>Recomputes the CRC of an edited frame so the reader reaches the check that follows it.</summary>
    public static byte[] Resign(byte[] frame)
    {
        uint crc = Crc32C.Compute(frame.AsSpan(0, 27), frame.AsSpan(31));
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(27), crc);
        return frame;
    }

    public static FrameFormatException Rejects(ReadOnlySpan<byte> frame)
    {
        Assert.False(VqfReader.TryReadInfo(frame, out FrameInfo? info, out FrameFormatException? error));
        Assert.Null(info);
        Assert.NotNull(error);
        byte[] copy = frame.ToArray();
        FrameFormatException thrown = Assert.Throws<FrameFormatException>(() => VqfReader.ReadInfo(copy));
        Assert.Throws<FrameFormatException>(() => VqfReader.ReadIndices(copy, out _));
        Assert.Equal(error.Error, thrown.Error);
        Assert.Equal(error.Message, thrown.Message);
        return thrown;
    }
}

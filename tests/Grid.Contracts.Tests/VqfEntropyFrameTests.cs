using System.Buffers.Binary;
using Grid.Contracts.Frames;

namespace Grid.Contracts.Tests;

/// <summary>The version 2 (entropy-coded) header: golden bytes written by hand, and strict rejection.</summary>
public sealed class VqfEntropyFrameTests
{
    /// <summary>
    /// The 8x4 image of the version 1 golden frame (indices {1, 511}), baseline-coded as a key frame. Header
    /// written by hand from docs/frame-format.md; both CRCs computed independently with a bitwise CRC-32C in Python.
    /// The payload is the range coder's output (Grid.Entropy.Tests checks it decodes to {1, 511}).
    /// </summary>
    public static byte[] Golden =>
    [
        0x56, 0x51, 0x46, 0x31,         // magic "VQF1"
        0x02,                           // format version 2
        0x00,                           // flags
        0x03, 0x00, 0x00, 0x00,         // model version 3
        0x4D, 0x3C, 0x2B, 0x1A,         // model fingerprint 0x1a2b3c4d
        0x08, 0x00,                     // width 8
        0x04, 0x00,                     // height 4
        0x02, 0x00,                     // latent width 2
        0x01, 0x00,                     // latent height 1
        0x09,                           // bits per index 9
        0x01,                           // coding 1: baseline
        0x00,                           // kind 0: key frame
        0x00, 0x00, 0x00, 0x00,         // prior fingerprint: none
        0, 0, 0, 0, 0, 0, 0, 0,         // reference sequence: none
        0xFF, 0x46, 0xAA, 0xC4,         // CRC32C of the indices 01 00 FF 01: 0xc4aa46ff
        0x06, 0x00, 0x00, 0x00,         // payload length 6
        0x84, 0xB1, 0x8B, 0x2F,         // CRC32C 0x2f8bb184 of bytes 0..44 and the payload
        0x00, 0xFF, 0xE1, 0x6B, 0xE7, 0x00, // payload
    ];

    public static EntropyFrameHeader GoldenHeader =>
        new(new FrameInfo(3, 0x1A2B3C4D, 8, 4, 9), FrameCoding.Baseline, FrameKind.Key, 0, 0, 0xC4AA46FF, 6);

    [Fact]
    public void TheGoldenFrameReadsAndWritesByteForByte()
    {
        Assert.Equal(GoldenHeader, VqfEntropyReader.ReadHeader(Golden));
        Assert.Equal(Golden, VqfEntropyWriter.Write(GoldenHeader, Golden.AsSpan(VqfFormat.EntropyHeaderLength)));
        Assert.Equal(2, VqfEntropyReader.PeekVersion(Golden));
        Assert.Equal(0xC4AA46FFu, IndexChecksum.Compute([1, 511]));
    }

    [Fact]
    public void VersionOneReadersRefuseVersionTwoAndTheOtherWayRound()
    {
        Assert.Equal(FrameError.UnsupportedVersion, TestFrames.Rejects(Golden).Error);
        FrameFormatException error = Assert.Throws<FrameFormatException>(() => VqfEntropyReader.ReadHeader(TestFrames.Golden.Concat(new byte[20]).ToArray()));
        Assert.Equal(FrameError.UnsupportedVersion, error.Error);
        Assert.Equal("unsupported format version 1: this reader understands version 2 (entropy-coded) only", error.Message);
    }

    [Fact]
    public void EveryTruncationIsRejected()
    {
        for (int length = 0; length < Golden.Length; length++)
        {
            FrameFormatException error = Assert.Throws<FrameFormatException>(() => VqfEntropyReader.ReadHeader(Golden.AsSpan(0, length)));
            Assert.Equal(length < VqfFormat.EntropyHeaderLength ? FrameError.TooShort : FrameError.Truncated, error.Error);
        }

        Assert.Equal(FrameError.TrailingBytes, Assert.Throws<FrameFormatException>(() => VqfEntropyReader.ReadHeader([.. Golden, 0])).Error);
    }

    [Fact]
    public void EverySingleBitFlipIsRejected()
    {
        for (int bit = 0; bit < Golden.Length * 8; bit++)
        {
            byte[] frame = Golden;
            frame[bit / 8] ^= (byte)(1 << (bit % 8));

            FrameFormatException error = Assert.Throws<FrameFormatException>(() => VqfEntropyReader.ReadHeader(frame));

            FrameError expected = (bit / 8) switch
            {
                < 4 => FrameError.BadMagic,
                4 => FrameError.UnsupportedVersion,
                5 when bit % 8 < 2 => error.Error is FrameError.LatentSizeMismatch ? error.Error : FrameError.ChecksumMismatch,
                5 => FrameError.UnknownFlags,
                // Model, fingerprints, checksums and payload: only the CRC can tell.
                < 14 or (>= 37 and < 41) or >= 45 => FrameError.ChecksumMismatch,
                // A baseline key frame names no prior and no reference.
                < 37 and >= 25 => FrameError.InconsistentHeader,
                // Sizes, bits, coding, kind, length: caught by the field checks, whichever comes first.
                _ => error.Error,
            };
            Assert.Equal(expected, error.Error);
        }
    }

    [Theory]
    [InlineData(23, 0, FrameError.UnknownCoding, "unknown coding 0: version 2 frames are coded with 1 (baseline), 2 (learned prior), 3 (learned prior, mixing coder) or 4 (mixing coder, two references)")]
    [InlineData(23, 5, FrameError.UnknownCoding, "unknown coding 5: version 2 frames are coded with 1 (baseline), 2 (learned prior), 3 (learned prior, mixing coder) or 4 (mixing coder, two references)")]
    [InlineData(23, 4, FrameError.InconsistentHeader, "a frame of coding 4 (two references) must be an inter frame against a reference sequence of at least 1 (the second reference is the one before it); this one is a key frame naming 0")]
    [InlineData(24, 2, FrameError.UnknownKind, "unknown frame kind 2: 0 (key) or 1 (inter)")]
    [InlineData(29, 7, FrameError.InconsistentHeader, "a key frame names reference sequence 7; key frames have none (0)")]
    [InlineData(25, 1, FrameError.InconsistentHeader, "a baseline-coded frame names prior 00000001; baseline coding uses none (0)")]
    public void InconsistentFieldsAreRejectedWithTheirValues(int offset, byte value, FrameError expected, string message)
    {
        byte[] frame = Golden;
        frame[offset] = value;

        FrameFormatException error = Assert.Throws<FrameFormatException>(() => VqfEntropyReader.ReadHeader(frame));

        Assert.Equal(expected, error.Error);
        Assert.Equal(message, error.Message);
        Assert.Throws<ArgumentException>(() => VqfEntropyWriter.Write(GoldenHeader with { Coding = (FrameCoding)9 }, new byte[6]));
    }

    [Fact]
    public void ACodingFourInterFrameMustNameAReferenceAfterSequenceZero()
    {
        byte[] frame = Golden;
        frame[23] = (byte)FrameCoding.MixingHistory;
        frame[24] = (byte)FrameKind.Inter;

        FrameFormatException error = Assert.Throws<FrameFormatException>(() => VqfEntropyReader.ReadHeader(frame));

        Assert.Equal(FrameError.InconsistentHeader, error.Error);
        Assert.EndsWith("this one is an inter frame naming 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOversizedPayloadLengthIsRefusedFromTheHeader()
    {
        byte[] frame = Golden;
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(41), 73);

        FrameFormatException error = Assert.Throws<FrameFormatException>(() => VqfEntropyReader.ReadHeader(frame));

        Assert.Equal(FrameError.PayloadTooLarge, error.Error);
        Assert.Equal("payload length 73 is above the 72 bytes allowed for 2 indices", error.Message);
    }

    [Fact]
    public void EveryNewErrorHasAnApiCode()
    {
        foreach (FrameError error in Enum.GetValues<FrameError>())
        {
            Assert.NotNull(ErrorCodes.FromFrameError(error));
        }
    }
}

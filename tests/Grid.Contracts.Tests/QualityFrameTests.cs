using Grid.Contracts.Frames;

namespace Grid.Contracts.Tests;

/// <summary>Quality levels in both header versions: golden bytes written by hand, coded sizes, strict flags.</summary>
public sealed class QualityFrameTests
{
    /// <summary>
    /// A 16x8 image at quality low: coded at 8x4 (2x1 latents), 9-bit indices {1, 511}, so the payload is the version 1
    /// golden frame's. Written by hand from docs/frame-format.md; the CRC computed independently with a bitwise
    /// CRC-32C in Python.
    /// </summary>
    public static byte[] GoldenLow =>
    [
        0x56, 0x51, 0x46, 0x31,         // magic "VQF1"
        0x01,                           // format version 1
        0x01,                           // flags: quality level 1 (low, x1/2) in bits 0-1
        0x03, 0x00, 0x00, 0x00,         // model version 3
        0x4D, 0x3C, 0x2B, 0x1A,         // model fingerprint 0x1a2b3c4d
        0x10, 0x00,                     // width 16: the true image size, what decoding returns
        0x08, 0x00,                     // height 8
        0x02, 0x00,                     // latent width 2 = ceil(8 / 4): of the coded size, (16 * 1 + 1) / 2 = 8
        0x01, 0x00,                     // latent height 1 = ceil(4 / 4)
        0x09,                           // bits per index 9
        0x03, 0x00, 0x00, 0x00,         // payload length 3
        0x70, 0x8D, 0x14, 0xAD,         // CRC32C 0xad148d70
        0x01, 0xFE, 0x03,               // payload: 1 and 511
    ];

    /// <summary>The version 2 golden frame's indices and payload for the same 16x8 image at quality low.</summary>
    public static byte[] GoldenLowEntropy =>
    [
        0x56, 0x51, 0x46, 0x31,         // magic "VQF1"
        0x02,                           // format version 2
        0x01,                           // flags: quality low
        0x03, 0x00, 0x00, 0x00,         // model version 3
        0x4D, 0x3C, 0x2B, 0x1A,         // model fingerprint 0x1a2b3c4d
        0x10, 0x00,                     // width 16
        0x08, 0x00,                     // height 8
        0x02, 0x00,                     // latent width 2
        0x01, 0x00,                     // latent height 1
        0x09,                           // bits per index 9
        0x01,                           // coding 1: baseline
        0x00,                           // kind 0: key frame
        0x00, 0x00, 0x00, 0x00,         // prior fingerprint: none
        0, 0, 0, 0, 0, 0, 0, 0,         // reference sequence: none
        0xFF, 0x46, 0xAA, 0xC4,         // CRC32C of the indices 01 00 FF 01
        0x06, 0x00, 0x00, 0x00,         // payload length 6
        0xB7, 0x6F, 0x46, 0xC1,         // CRC32C 0xc1466fb7 of bytes 0..44 and the payload
        0x00, 0xFF, 0xE1, 0x6B, 0xE7, 0x00, // payload
    ];

    public static FrameInfo GoldenLowInfo => new(3, 0x1A2B3C4D, 16, 8, 9, FrameQuality.Low);

    [Fact]
    public void TheScaledVersionOneFrameReadsAndWritesByteForByte()
    {
        Assert.Equal(GoldenLow, VqfWriter.Write(GoldenLowInfo, [1, 511]));
        ushort[] indices = VqfReader.ReadIndices(GoldenLow, out FrameInfo info);
        Assert.Equal(GoldenLowInfo, info);
        Assert.Equal([1, 511], indices);
        Assert.Equal((16, 8, 8, 4, 2, 1), (info.Width, info.Height, info.CodedWidth, info.CodedHeight, info.LatentWidth, info.LatentHeight));
    }

    [Fact]
    public void TheScaledVersionTwoFrameReadsAndWritesByteForByte()
    {
        var header = new EntropyFrameHeader(GoldenLowInfo, FrameCoding.Baseline, FrameKind.Key, 0, 0, 0xC4AA46FF, 6);

        Assert.Equal(header, VqfEntropyReader.ReadHeader(GoldenLowEntropy));
        Assert.Equal(GoldenLowEntropy, VqfEntropyWriter.Write(header, GoldenLowEntropy.AsSpan(VqfFormat.EntropyHeaderLength)));
    }

    [Fact]
    public void AStandardFrameHasNoFlagsAndTheOldLayout()
    {
        FrameInfo standard = TestFrames.GoldenInfo;

        Assert.Equal(FrameQuality.Standard, standard.Quality);
        Assert.Equal(TestFrames.Golden, VqfWriter.Write(standard, TestFrames.GoldenIndices));
        Assert.Equal(0, TestFrames.Golden[5]);
    }

    [Theory]
    [InlineData(FrameQuality.Low, 1, 1)]
    [InlineData(FrameQuality.Low, 7, 4)]
    [InlineData(FrameQuality.Low, 768, 384)]
    [InlineData(FrameQuality.Standard, 7, 7)]
    [InlineData(FrameQuality.High, 1, 2)]
    [InlineData(FrameQuality.High, 5, 8)]
    [InlineData(FrameQuality.High, 512, 768)]
    [InlineData(FrameQuality.Max, 7, 14)]
    [InlineData(FrameQuality.Max, 65535, 131070)]
    public void CodedSidesRoundHalfUpInIntegers(FrameQuality quality, int side, int coded)
    {
        Assert.Equal(coded, FrameQualities.CodedSide(side, quality));
    }

    [Fact]
    public void EveryLevelRoundTripsThroughBothVersions()
    {
        foreach (FrameQuality quality in FrameQualities.All)
        {
            var info = new FrameInfo(7, 0xCAFEF00D, 13, 7, 12, quality);
            ushort[] indices = TestFrames.RandomIndices(new Random(3), info.IndexCount, 12);
            byte[] frame = VqfWriter.Write(info, indices);

            Assert.Equal((byte)quality, frame[5]);
            Assert.Equal(indices, VqfReader.ReadIndices(frame, out FrameInfo read));
            Assert.Equal(info, read);
        }
    }

    [Fact]
    public void VersionTwoRejectsReservedFlags()
    {
        byte[] frame = GoldenLowEntropy;
        frame[5] = 0x41;

        FrameFormatException error = Assert.Throws<FrameFormatException>(() => VqfEntropyReader.ReadHeader(frame));

        Assert.Equal(FrameError.UnknownFlags, error.Error);
        Assert.Equal("unknown flags 0x41: format version 2 defines only bits 0-1 (the quality level), bits 2-7 must be 0", error.Message);
    }

    [Fact]
    public void NamesParseCaseInsensitivelyAndUnknownOnesDoNot()
    {
        Assert.True(FrameQualities.TryParse("HIGH", out FrameQuality high));
        Assert.Equal(FrameQuality.High, high);
        Assert.All(FrameQualities.All, q => Assert.True(FrameQualities.TryParse(FrameQualities.Name(q), out FrameQuality parsed) && parsed == q));
        Assert.False(FrameQualities.TryParse("ultra", out _));
        Assert.False(FrameQualities.TryParse("2", out _));
        Assert.False(FrameQualities.TryParse(null, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameInfo(1, 1, 8, 8, 9, (FrameQuality)4));
    }
}

using System.Buffers.Binary;
using Grid.Contracts.Frames;

namespace Grid.Contracts.Tests;

public sealed class VqfReaderRejectionTests
{
    [Fact]
    public void TheGoldenAndSmallFramesAreAccepted()
    {
        Assert.True(VqfReader.TryReadInfo(TestFrames.Golden, out FrameInfo? info, out FrameFormatException? error));
        Assert.Equal(TestFrames.GoldenInfo, info);
        Assert.Null(error);
        Assert.True(VqfReader.TryReadInfo(TestFrames.Small(), out _, out _));
    }

    [Fact]
    public void EveryTruncationIsRejected()
    {
        foreach (byte[] frame in new[] { TestFrames.Golden, TestFrames.Small() })
        {
            for (int length = 0; length < frame.Length; length++)
            {
                FrameFormatException error = TestFrames.Rejects(frame.AsSpan(0, length));

                Assert.Equal(length < VqfFormat.HeaderLength ? FrameError.TooShort : FrameError.Truncated, error.Error);
            }
        }
    }

    [Fact]
    public void EverySingleBitFlipIsRejected()
    {
        foreach (byte[] original in new[] { TestFrames.Golden, TestFrames.Small() })
        {
            for (int bit = 0; bit < original.Length * 8; bit++)
            {
                byte[] frame = (byte[])original.Clone();
                frame[bit / 8] ^= (byte)(1 << (bit % 8));

                FrameFormatException error = TestFrames.Rejects(frame);

                FrameError expected = (bit / 8) switch
                {
                    < 4 => FrameError.BadMagic,
                    4 => FrameError.UnsupportedVersion,
                    // Bits 0-1 are the quality level: another level means another latent size (or, were it the
                    // same, only the CRC could tell); bits 2-7 are reserved.
                    5 when bit % 8 < 2 => error.Error is FrameError.LatentSizeMismatch ? error.Error : FrameError.ChecksumMismatch,
                    5 => FrameError.UnknownFlags,
                    // Model version, fingerprint, CRC and payload: only the CRC can tell.
                    < 14 or >= 27 => FrameError.ChecksumMismatch,
                    // Dimension, bits and length flips are caught by the consistency checks, whichever comes first.
                    _ => error.Error,
                };
                Assert.Equal(expected, error.Error);
                Assert.NotEqual(FrameError.NonZeroPadding, error.Error);
            }
        }
    }

    [Fact]
    public void ShortInputIsTooShort()
    {
        Assert.Equal("frame is too short: 0 bytes, the VQF header alone is 31", TestFrames.Rejects([]).Message);
        Assert.Equal(FrameError.TooShort, TestFrames.Rejects(TestFrames.Golden.AsSpan(0, 30)).Error);
        Assert.Equal(FrameError.TooShort, Assert.Throws<FrameFormatException>(() => VqfReader.ReadHeader(new byte[30])).Error);
    }

    [Fact]
    public void WrongMagicIsRejected()
    {
        FrameFormatException error = TestFrames.Rejects(Edit(f => "VQF2"u8.CopyTo(f)));

        Assert.Equal(FrameError.BadMagic, error.Error);
        Assert.Equal("bad magic: expected \"VQF1\" (56514631), found 56514632", error.Message);
        Assert.Equal(FrameError.BadMagic, TestFrames.Rejects(Edit(f => "\x89PNG"u8.CopyTo(f))).Error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void OtherFormatVersionsAreRejected(byte version)
    {
        FrameFormatException error = TestFrames.Rejects(Edit(f => f[4] = version));

        Assert.Equal(FrameError.UnsupportedVersion, error.Error);
        Assert.Equal($"unsupported format version {version}: this reader understands version 1 only", error.Message);
    }

    [Theory]
    [InlineData(0x04)]
    [InlineData(0x05)]
    [InlineData(0x80)]
    public void ReservedFlagsAreRejected(byte flags)
    {
        FrameFormatException error = TestFrames.Rejects(Edit(f => f[5] = flags));

        Assert.Equal(FrameError.UnknownFlags, error.Error);
        Assert.Equal($"unknown flags 0x{flags:x2}: format version 1 defines only bits 0-1 (the quality level), bits 2-7 must be 0", error.Message);
    }

    [Fact]
    public void AQualityFlagOnAFrameOfAnotherSizeIsALatentSizeMismatch()
    {
        FrameFormatException error = TestFrames.Rejects(Edit(f => f[5] = 0x01));

        Assert.Equal(FrameError.LatentSizeMismatch, error.Error);
        Assert.Equal("latent size mismatch: header says 2x1, a 8x4 image coded at quality low as 4x2 has 1x1 (ceil(side / 4))", error.Message);
    }

    [Fact]
    public void ZeroWidthOrHeightIsRejected()
    {
        FrameFormatException width = TestFrames.Rejects(Edit(f => BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(14), 0)));
        FrameFormatException height = TestFrames.Rejects(Edit(f => BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(16), 0)));

        Assert.Equal(FrameError.InvalidDimensions, width.Error);
        Assert.Equal("invalid image size 0x4: width and height must be at least 1", width.Message);
        Assert.Equal(FrameError.InvalidDimensions, height.Error);
    }

    [Fact]
    public void LatentSizesThatAreNotCeilingOfSideOverFourAreRejected()
    {
        FrameFormatException error = TestFrames.Rejects(Edit(f => BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(18), 3)));

        Assert.Equal(FrameError.LatentSizeMismatch, error.Error);
        Assert.Equal("latent size mismatch: header says 3x1, a 8x4 image has 2x1 (ceil(side / 4))", error.Message);
        Assert.Equal(FrameError.LatentSizeMismatch, TestFrames.Rejects(Edit(f => BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(20), 0))).Error);
        // Width 9 needs 3 latent columns, not the 2 the header keeps.
        Assert.Equal(FrameError.LatentSizeMismatch, TestFrames.Rejects(Edit(f => f[14] = 9)).Error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(255)]
    public void BitsPerIndexOutsideOneToSixteenAreRejected(byte bits)
    {
        FrameFormatException error = TestFrames.Rejects(Edit(f => f[22] = bits));

        Assert.Equal(FrameError.InvalidBitsPerIndex, error.Error);
        Assert.Equal($"invalid bits per index {bits}: must be 1..16", error.Message);
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(4u)]
    [InlineData(uint.MaxValue)]
    public void APayloadLengthOtherThanTheComputedOneIsRejected(uint length)
    {
        FrameFormatException error = TestFrames.Rejects(Edit(f => BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(23), length)));

        Assert.Equal(FrameError.PayloadLengthMismatch, error.Error);
        Assert.Equal($"payload length mismatch: header says {length} bytes, 2x1 indices of 9 bits need 3", error.Message);
    }

    [Fact]
    public void AMissingPayloadByteIsTruncated()
    {
        FrameFormatException error = TestFrames.Rejects(TestFrames.Golden.AsSpan(0, 33));

        Assert.Equal(FrameError.Truncated, error.Error);
        Assert.Equal("frame is truncated: header says 3 payload bytes, 2 present", error.Message);
    }

    [Fact]
    public void ATrailingByteIsRejected()
    {
        FrameFormatException error = TestFrames.Rejects([.. TestFrames.Golden, 0x00]);

        Assert.Equal(FrameError.TrailingBytes, error.Error);
        Assert.Equal("frame has 1 trailing byte(s): header says 3 payload bytes, 4 present", error.Message);
    }

    [Fact]
    public void ACorruptedPayloadFailsTheChecksum()
    {
        byte[] frame = TestFrames.Golden;
        frame[31] ^= 0x02;

        FrameFormatException error = TestFrames.Rejects(frame);

        Assert.Equal(FrameError.ChecksumMismatch, error.Error);
        Assert.Equal(
            $"CRC32C mismatch: stored 0xe2f0254e, computed 0x{Crc32C.Compute(frame.AsSpan(0, 27), frame.AsSpan(31)):x8} over the header and 3 payload bytes",
            error.Message);
    }

    [Fact]
    public void ACorruptedHeaderFieldFailsTheChecksumToo()
    {
        // Model version 3 -> 2: every other check passes, only the header-covering CRC catches it.
        FrameFormatException error = TestFrames.Rejects(Edit(f => f[6] = 2, resign: false));

        Assert.Equal(FrameError.ChecksumMismatch, error.Error);
    }

    [Theory]
    [InlineData(0x04)]
    [InlineData(0x80)]
    public void SetPaddingBitsAreRejectedEvenWithAValidChecksum(byte bit)
    {
        FrameFormatException error = TestFrames.Rejects(Edit(f => f[^1] |= bit));

        Assert.Equal(FrameError.NonZeroPadding, error.Error);
        Assert.Equal($"non-zero padding: last payload byte is 0x{0x03 | bit:x2}, its 6 unused high bit(s) must be 0", error.Message);
    }

    [Fact]
    public void ChecksAreMadeInTheDocumentedOrder()
    {
        // Bad version and bad bits: the version is reported. Bad bits and short payload: the bits are reported.
        Assert.Equal(FrameError.UnsupportedVersion, TestFrames.Rejects(Edit(f => { f[4] = 9; f[22] = 0; })).Error);
        Assert.Equal(FrameError.InvalidBitsPerIndex, TestFrames.Rejects(Edit(f => f[22] = 0).AsSpan(0, 32)).Error);
        // A length mismatch is reported before the CRC is even looked at.
        Assert.Equal(FrameError.TrailingBytes, TestFrames.Rejects([.. TestFrames.Golden.AsSpan(0, 27), 0, 0, 0, 0, .. TestFrames.Golden.AsSpan(31), 0]).Error);
    }

    [Fact]
    public void RandomGarbageAndRandomEditsOnlyEverRaiseFrameFormatException()
    {
        var random = new Random(99);
        byte[] small = TestFrames.Small();
        for (int trial = 0; trial < 20000; trial++)
        {
            byte[] frame;
            if (trial % 4 == 0)
            {
                frame = new byte[random.Next(0, 80)];
                random.NextBytes(frame);
                if (frame.Length >= 4)
                {
                    "VQF1"u8.CopyTo(frame);
                }
            }
            else
            {
                frame = (byte[])small.Clone();
                for (int edits = random.Next(1, 4); edits > 0; edits--)
                {
                    frame[random.Next(4, VqfFormat.HeaderLength)] = (byte)random.Next(256);
                }

                frame[4] = 1;
                frame[5] = 0;
                frame = trial % 2 == 0 ? TestFrames.Resign(frame) : frame;
            }

            bool valid = VqfReader.TryReadInfo(frame, out FrameInfo? info, out FrameFormatException? error);
            if (valid)
            {
                Assert.Equal(info!.FrameLength, frame.Length);
                Assert.Equal(info.IndexCount, VqfReader.ReadIndices(frame, out _).Length);
            }
            else
            {
                Assert.Equal(error!.Error, Assert.Throws<FrameFormatException>(() => VqfReader.ReadIndices(frame, out _)).Error);
            }
        }
    }

    /// <summary>The golden frame with one edit, re-signed by default so the edit, not the CRC, is what is caught.</summary>
    private static byte[] Edit(Action<byte[]> edit, bool resign = true)
    {
        byte[] frame = TestFrames.Golden;
        edit(frame);
        return resign ? TestFrames.Resign(frame) : frame;
    }
}

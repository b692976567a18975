using System.Buffers.Binary;
using Grid.Contracts.Frames;

namespace Grid.Entropy.Tests;

/// <summary>Version 2 frames around real payloads: round trips, and every kind of damage rejected with a clear error.</summary>
public sealed class EntropyFrameTests
{
    private static readonly FrameInfo s_info = new(1, 0x42749bc9, 30, 18, 9);

    [Fact]
    public void TheGoldenVersionTwoFrameIsWhatTheCoderWritesAndReads()
    {
        // The same bytes as Grid.Contracts.Tests' VqfEntropyFrameTests.Golden: the coder's output is part of the format.
        byte[] golden = Convert.FromHexString("565146310200030000004D3C2B1A0800040002000100090100000000000000000000000000FF46AAC40600000084B18B2F00FFE16BE700");
        var info = new FrameInfo(3, 0x1A2B3C4D, 8, 4, 9);

        Assert.Equal(golden, EntropyFrames.Encode(info, [1, 511], FrameCoding.Baseline, null));
        Assert.Equal([1, 511], EntropyFrames.Decode(golden, null, default, out FrameInfo read));
        Assert.Equal(info, read);
    }

    [Theory]
    [InlineData(FrameCoding.Fixed)]
    [InlineData(FrameCoding.Baseline)]
    [InlineData(FrameCoding.Learned)]
    public void FramesOfEveryCodingRoundTrip(FrameCoding coding)
    {
        (IndexMap map, FrameInfo info) = EntropyTestData.Fixture("rubberwhale1");
        byte[] frame = EntropyFrames.Encode(info, map.Indices, coding, EntropyTestData.Prior);

        Assert.Equal(coding == FrameCoding.Fixed ? 1 : 2, VqfEntropyReader.PeekVersion(frame));
        Assert.Equal(map.Indices, EntropyFrames.Decode(frame, EntropyTestData.Prior, default, out FrameInfo read));
        Assert.Equal(info, read);
    }

    [Fact]
    public void AnInterFrameNamesItsReferenceAndNeedsIt()
    {
        (IndexMap map, FrameInfo info) = EntropyTestData.Fixture("Megamind-001");
        IndexMap next = EntropyTestData.Perturb(map, 0.05, 9);
        byte[] frame = EntropyFrames.Encode(info, next.Indices, FrameCoding.Learned, EntropyTestData.Prior, map.Indices, referenceSequence: 41);
        EntropyFrameHeader header = VqfEntropyReader.ReadHeader(frame);

        Assert.Equal(FrameKind.Inter, header.Kind);
        Assert.Equal(41UL, header.ReferenceSequence);
        Assert.Equal(next.Indices, EntropyFrames.Decode(frame, EntropyTestData.Prior, map.Indices, out _));
        Assert.Throws<PriorMismatchException>(() => EntropyFrames.Decode(frame, EntropyTestData.Prior, default, out _));

        // The wrong reference frame never yields a wrong image: the index checksum catches it.
        FrameFormatException wrong = Assert.Throws<FrameFormatException>(
            () => EntropyFrames.Decode(frame, EntropyTestData.Prior, EntropyTestData.Perturb(map, 0.01, 2).Indices, out _));
        Assert.True(wrong.Error is FrameError.IndexChecksumMismatch or FrameError.PayloadUndecodable, wrong.Message);
    }

    [Fact]
    public void AnotherPriorIsRefusedByFingerprint()
    {
        (IndexMap map, FrameInfo info) = EntropyTestData.Fixture("cards");
        byte[] frame = EntropyFrames.Encode(info, map.Indices, FrameCoding.Learned, EntropyTestData.Prior);
        var trainer = new PriorTrainer(EntropyTestData.K);
        trainer.AddKeyFrame(map);
        ContextPrior other = PriorFile.Read(PriorFile.Write(trainer.Build(1)));

        PriorMismatchException error = Assert.Throws<PriorMismatchException>(() => EntropyFrames.Decode(frame, other, default, out _));
        Assert.Contains(VqfFormat.FormatFingerprint(EntropyTestData.Prior.Fingerprint), error.Message, StringComparison.Ordinal);
        Assert.Throws<PriorMismatchException>(() => EntropyFrames.Decode(frame, null, default, out _));
    }

    [Theory]
    [InlineData(FrameCoding.Baseline)]
    [InlineData(FrameCoding.Learned)]
    public void EveryTruncationIsRejected(FrameCoding coding)
    {
        byte[] frame = SmallFrame(coding);
        for (int length = 0; length < frame.Length; length++)
        {
            FrameFormatException error = Assert.Throws<FrameFormatException>(
                () => EntropyFrames.Decode(frame.AsSpan(0, length), EntropyTestData.Prior, default, out _));
            Assert.Equal(length < VqfFormat.EntropyHeaderLength ? FrameError.TooShort : FrameError.Truncated, error.Error);
        }
    }

    [Theory]
    [InlineData(FrameCoding.Baseline)]
    [InlineData(FrameCoding.Learned)]
    public void EverySingleBitFlipIsRejected(FrameCoding coding)
    {
        byte[] original = SmallFrame(coding);
        for (int bit = 0; bit < original.Length * 8; bit++)
        {
            byte[] frame = (byte[])original.Clone();
            frame[bit / 8] ^= (byte)(1 << (bit % 8));

            Exception error = Record.Exception(() => EntropyFrames.Decode(frame, EntropyTestData.Prior, default, out _));

            // A flipped version byte makes it a (malformed) version 1 frame; a flipped coding byte may ask for a
            // prior the caller does not have; everything else is a format error.
            Assert.True(error is FrameFormatException or PriorMismatchException, $"bit {bit}: {error?.GetType().Name ?? "accepted"}");
        }
    }

    [Theory]
    [InlineData(FrameCoding.Baseline)]
    [InlineData(FrameCoding.Learned)]
    public void DamagedPayloadsWithAValidCrcNeverDecodeToAWrongImage(FrameCoding coding)
    {
        byte[] original = SmallFrame(coding);
        ushort[] indices = EntropyFrames.Decode(original, EntropyTestData.Prior, default, out _);
        int rejected = 0;
        var random = new Random(17);
        for (int trial = 0; trial < 500; trial++)
        {
            byte[] frame = (byte[])original.Clone();
            int flips = 1 + random.Next(8);
            for (int f = 0; f < flips; f++)
            {
                frame[VqfFormat.EntropyHeaderLength + random.Next(frame.Length - VqfFormat.EntropyHeaderLength)] ^= (byte)(1 << random.Next(8));
            }

            // Re-sign so the CRC passes and the entropy decoder itself has to notice.
            BinaryPrimitives.WriteUInt32LittleEndian(
                frame.AsSpan(45), Crc32C.Compute(frame.AsSpan(0, 45), frame.AsSpan(VqfFormat.EntropyHeaderLength)));
            if (frame.AsSpan().SequenceEqual(original))
            {
                continue;
            }

            // The last flushed bytes may not matter to any symbol: then the frame still decodes to the right indices.
            Exception? error = Record.Exception(() => Assert.Equal(indices, EntropyFrames.Decode(frame, EntropyTestData.Prior, default, out _)));
            if (error is not null)
            {
                FrameFormatException format = Assert.IsType<FrameFormatException>(error);
                Assert.True(format.Error is FrameError.PayloadUndecodable or FrameError.IndexChecksumMismatch, format.Message);
                rejected++;
            }
        }

        Assert.True(rejected > 200, $"{rejected} of 500 damaged payloads rejected");
    }

    [Fact]
    public void OversizedPayloadLengthsAreRefusedBeforeReadingThem()
    {
        byte[] frame = SmallFrame(FrameCoding.Baseline);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(41), uint.MaxValue);

        FrameFormatException error = Assert.Throws<FrameFormatException>(() => VqfEntropyReader.ReadHeader(frame));
        Assert.Equal(FrameError.PayloadTooLarge, error.Error);
    }

    private static byte[] SmallFrame(FrameCoding coding)
    {
        IndexMap map = EntropyTestData.Fixture("cards").Map;
        ushort[] indices = map.Indices.AsSpan(0, s_info.IndexCount).ToArray();
        return EntropyFrames.Encode(s_info, indices, coding, EntropyTestData.Prior);
    }
}

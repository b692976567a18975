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
    [InlineData(FrameCoding.Mixing)]
    public void FramesOfEveryCodingRoundTrip(FrameCoding coding)
    {
        (IndexMap map, FrameInfo info) = EntropyTestData.Fixture("rubberwhale1");
        byte[] frame = EntropyFrames.Encode(info, map.Indices, coding, EntropyTestData.Prior);

        Assert.Equal(coding == FrameCoding.Fixed ? 1 : 2, VqfEntropyReader.PeekVersion(frame));
        if (coding != FrameCoding.Fixed)
        {
            // "Learned" asks for the best coder the prior has: a format 2 prior codes with the mixing coder.
            EntropyFrameHeader header = VqfEntropyReader.ReadHeader(frame);
            Assert.Equal(coding == FrameCoding.Baseline ? FrameCoding.Baseline : FrameCoding.Mixing, header.Coding);
            Assert.Equal(coding == FrameCoding.Baseline ? 0u : EntropyTestData.Prior.Fingerprint, header.PriorFingerprint);
        }

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
    public void EncodeKeyAndEncodeInterAreTheLearnedFramesOfAStream()
    {
        (IndexMap map, FrameInfo info) = EntropyTestData.Fixture("rubberwhale1");
        IndexMap next = EntropyTestData.Perturb(map, 0.05, 3);

        byte[] key = EntropyFrames.EncodeKey(info, map.Indices, EntropyTestData.Prior);
        byte[] inter = EntropyFrames.EncodeInter(info, next.Indices, map.Indices, 7, EntropyTestData.Prior);

        Assert.Equal(EntropyFrames.Encode(info, map.Indices, FrameCoding.Mixing, EntropyTestData.Prior), key);
        EntropyFrameHeader header = VqfEntropyReader.ReadHeader(inter);
        Assert.Equal((FrameCoding.Mixing, FrameKind.Inter, 7UL), (header.Coding, header.Kind, header.ReferenceSequence));
        Assert.Equal(next.Indices, EntropyFrames.Decode(inter, EntropyTestData.Prior, map.Indices, out _));
        Assert.True(inter.Length < key.Length / 2, $"inter {inter.Length} bytes, key {key.Length}");
        Assert.Throws<ArgumentException>(() => EntropyFrames.EncodeInter(info, next.Indices, default, 7, EntropyTestData.Prior));
        Assert.Throws<ArgumentException>(() => EntropyFrames.EncodeInter(info, next.Indices, map.Indices.AsSpan(1), 7, EntropyTestData.Prior));
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

    [Fact]
    public void FramesOfTheFormatOnePriorStillDecodeWithTheFormatTwoPriorThatEmbedsIt()
    {
        // Written by the learned coder with models/default/prior.bin as shipped before the mixing coder (format 1,
        // fingerprint 13d76aca); that file is now the format 1 part of the shipped format 2 prior.
        ContextPrior shipped = EntropyTestData.ShippedPrior;
        Assert.Equal(2, shipped.FormatVersion);
        Assert.Equal(0x13d76acau, shipped.LegacyFingerprint);
        (IndexMap cards, FrameInfo cardsInfo) = EntropyTestData.Fixture("cards");
        byte[] key = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cards.learned-v1.vqf"));
        Assert.Equal((FrameCoding.Learned, 0x13d76acau), (VqfEntropyReader.ReadHeader(key).Coding, VqfEntropyReader.ReadHeader(key).PriorFingerprint));
        Assert.Equal(cards.Indices, EntropyFrames.Decode(key, shipped, default, out FrameInfo read));
        Assert.Equal(cardsInfo, read);

        IndexMap first = EntropyTestData.Fixture("Megamind-001").Map;
        IndexMap second = EntropyTestData.Fixture("Megamind-002").Map;
        byte[] inter = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Megamind-002.learned-v1.vqf"));
        Assert.Equal(second.Indices, EntropyFrames.Decode(inter, shipped, first.Indices, out _));

        // A mixing frame names the whole file: the format 1 prior alone cannot decode it.
        byte[] mixing = EntropyFrames.Encode(cardsInfo, cards.Indices, FrameCoding.Learned, shipped);
        Assert.Equal(FrameCoding.Mixing, VqfEntropyReader.ReadHeader(mixing).Coding);
        Assert.True(mixing.Length < key.Length, $"mixing {mixing.Length} bytes, learned {key.Length}");
        ContextPrior legacyOnly = PriorFile.Read(shipped.LegacyFile!);
        Assert.Equal(0x13d76acau, legacyOnly.Fingerprint);
        Assert.Equal(cards.Indices, EntropyFrames.Decode(key, legacyOnly, default, out _));
        Assert.Throws<PriorMismatchException>(() => EntropyFrames.Decode(mixing, legacyOnly, default, out _));
    }

    [Theory]
    [InlineData(FrameCoding.Baseline)]
    [InlineData(FrameCoding.Learned)]
    [InlineData(FrameCoding.Mixing)]
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
    [InlineData(FrameCoding.Mixing)]
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
    [InlineData(FrameCoding.Mixing)]
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
        // Learned: the format 1 coder, with the format 1 part of the test prior (which decodes with the whole prior).
        return EntropyFrames.Encode(s_info, indices, coding, coding == FrameCoding.Learned ? EntropyTestData.LegacyPrior : EntropyTestData.Prior);
    }
}

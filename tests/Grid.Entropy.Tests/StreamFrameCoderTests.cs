using Grid.Contracts.Frames;

namespace Grid.Entropy.Tests;

/// <summary>The stream coding rules (<see cref="StreamFrameCoder"/>) and the chain decoder that reads them back.</summary>
public sealed class StreamFrameCoderTests
{
    [Fact]
    public void KeyFramesComeEveryIntervalAfterAGapAndOnAModelChangeAndEveryFrameDecodesWithOneOrTwoReferences()
    {
        (IndexMap first, FrameInfo info) = EntropyTestData.Fixture("Megamind-001");
        FrameInfo otherModel = info with { ModelVersion = info.ModelVersion + 1 };
        ContextPrior prior = EntropyTestData.ShippedPrior;
        var coder = new StreamFrameCoder(keyInterval: 4);
        var decoder = new StreamFrameDecoder();
        long[] sequences = [0, 1, 2, 3, 4, 5, 9, 10, 11, 12];
        var kinds = new List<(FrameKind Kind, long? Reference)>();
        IndexMap map = first;
        foreach (long sequence in sequences)
        {
            map = EntropyTestData.Perturb(map, 0.05, seed: (int)sequence);
            FrameInfo frameInfo = sequence >= 11 ? otherModel : info;
            ContextPrior? framePrior = sequence >= 11 ? null : prior; // version "2" has no prior: baseline, never v1's
            CodedStreamFrame coded = coder.Code(frameInfo, map.Indices, sequence, framePrior);
            coder.Stored(coded, sequence);
            kinds.Add((coded.Kind, coded.ReferenceSequence));

            // An inter frame whose reference is an inter frame too is coded against both (coding 4).
            FrameCoding expected = sequence >= 11 ? FrameCoding.Baseline : sequence is 2 or 3 ? FrameCoding.MixingHistory : FrameCoding.Mixing;
            Assert.Equal(expected, coded.Coding);
            Assert.Equal(map.Indices, decoder.Decode(sequence, coded.Frame, framePrior, out FrameInfo decoded));
            Assert.Equal(frameInfo, decoded);
        }

        Assert.Equal(
            [(FrameKind.Key, null), (FrameKind.Inter, 0), (FrameKind.Inter, 1), (FrameKind.Inter, 2), (FrameKind.Key, null), (FrameKind.Inter, 4),
             (FrameKind.Key, null), (FrameKind.Inter, 9), (FrameKind.Key, null), (FrameKind.Inter, 11)],
            kinds);
    }

    [Fact]
    public void AChangeOfQualityLevelMakesAKeyFrameAndTheLevelDecodes()
    {
        var random = new Random(7);
        ushort[] Indices(FrameInfo info) => [.. Enumerable.Range(0, info.IndexCount).Select(_ => (ushort)random.Next(8))];
        var standard = new FrameInfo(1, 0x1234, 64, 32, 9);
        FrameInfo high = standard with { Quality = FrameQuality.High };
        FrameInfo[] plan = [standard, standard, high, high, standard];
        var coder = new StreamFrameCoder(keyInterval: 30);
        var decoder = new StreamFrameDecoder();
        var kinds = new List<FrameKind>();

        for (int sequence = 0; sequence < plan.Length; sequence++)
        {
            ushort[] indices = Indices(plan[sequence]);
            CodedStreamFrame coded = coder.Code(plan[sequence], indices, sequence, prior: null);
            coder.Stored(coded, sequence);
            kinds.Add(coded.Kind);

            Assert.Equal(indices, decoder.Decode(sequence, coded.Frame, prior: null, out FrameInfo decoded));
            Assert.Equal(plan[sequence], decoded);
        }

        Assert.Equal([FrameKind.Key, FrameKind.Inter, FrameKind.Key, FrameKind.Inter, FrameKind.Key], kinds);
    }

    [Fact]
    public void AnInterFrameAfterAnotherFrameThanItsReferenceIsRefused()
    {
        (IndexMap map, FrameInfo info) = EntropyTestData.Fixture("Megamind-001");
        var coder = new StreamFrameCoder(keyInterval: 30);
        var frames = new List<byte[]>();
        for (int i = 0; i < 3; i++)
        {
            CodedStreamFrame coded = coder.Code(info, EntropyTestData.Perturb(map, 0.1, seed: i).Indices, i, prior: null);
            coder.Stored(coded, i);
            frames.Add(coded.Frame);
        }
        var decoder = new StreamFrameDecoder();
        decoder.Decode(0, frames[0], null, out _);

        PriorMismatchException skipped = Assert.Throws<PriorMismatchException>(() => decoder.Decode(2, frames[2], null, out _));
        var fresh = new StreamFrameDecoder();
        PriorMismatchException alone = Assert.Throws<PriorMismatchException>(() => fresh.Decode(1, frames[1], null, out _));

        Assert.Contains("coded against frame 1; the frame decoded before it is 0", skipped.Message, StringComparison.Ordinal);
        Assert.Contains("no frame was decoded before it", alone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFrameThatCodingWouldEnlargeStaysFixedRate()
    {
        var info = new FrameInfo(1, 0x1234, 8, 4, 9);
        var coder = new StreamFrameCoder(keyInterval: 30);

        CodedStreamFrame coded = coder.Code(info, [1, 511], 0, prior: null);

        Assert.Equal((FrameCoding.Fixed, FrameKind.Key, (long?)null), (coded.Coding, coded.Kind, coded.ReferenceSequence));
        Assert.Equal(VqfWriter.Write(info, [1, 511]), coded.Frame);
    }
}

using Grid.Contracts.Frames;

namespace Grid.Entropy.Tests;

public sealed class IndexCoderRoundTripTests
{
    public static TheoryData<FrameCoding> Codings => [FrameCoding.Baseline, FrameCoding.Learned, FrameCoding.Mixing];

    [Theory]
    [MemberData(nameof(Codings))]
    public void SyntheticMapsRoundTripAsKeyAndInterFrames(FrameCoding coding)
    {
        int count = 0;
        foreach (IndexMap map in EntropyTestData.Synthetic())
        {
            RoundTrip(map, coding, previous: null);
            RoundTrip(EntropyTestData.Perturb(map, 0.2, 3), coding, previous: map);
            count++;
        }

        Assert.Equal(21, count);
    }

    [Theory]
    [MemberData(nameof(Codings))]
    public void RealIndexMapsRoundTripAsKeyAndInterFrames(FrameCoding coding)
    {
        IndexMap? previous = null;
        foreach (IndexMap map in EntropyTestData.AllFixtures())
        {
            RoundTrip(map, coding, previous: null);
            RoundTrip(EntropyTestData.Perturb(map, 0.05, 7), coding, previous: map);
            if (previous is not null && previous.Width == map.Width && previous.Height == map.Height)
            {
                RoundTrip(map, coding, previous);
            }

            previous = map;
        }
    }

    [Fact]
    public void SmallCodebooksRoundTripWithTheBaseline()
    {
        foreach (int k in new[] { 2, 3, 16, 4096 })
        {
            foreach (IndexMap map in EntropyTestData.Synthetic(k))
            {
                byte[] payload = IndexCoder.Encode(map.Indices, map.Width, map.Height, FrameCoding.Baseline, k, null);
                Assert.Equal(map.Indices, IndexCoder.Decode(payload, map.Width, map.Height, FrameCoding.Baseline, k, null));
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(300)]
    public void OtherCodebookSizesRoundTripWithTheMixingCoder(int k)
    {
        // K that is not a power of two leaves leaves of the binary tree empty: they are never coded.
        IndexMap[] maps = [.. EntropyTestData.Synthetic(k)];
        ContextPrior prior = PriorFile.Read(PriorFile.Write(PriorTrainer.Train(
            k, 7, maps.Take(10), [maps.Take(10).Select((m, i) => EntropyTestData.Perturb(maps[9], 0.1 * i, i, k))])));
        Assert.Equal(2, prior.FormatVersion);
        foreach (IndexMap map in maps)
        {
            IndexMap next = EntropyTestData.Perturb(map, 0.2, 5, k);
            byte[] key = IndexCoder.Encode(map.Indices, map.Width, map.Height, FrameCoding.Mixing, k, prior);
            byte[] inter = IndexCoder.Encode(next.Indices, next.Width, next.Height, FrameCoding.Mixing, k, prior, map.Indices);
            Assert.Equal(map.Indices, IndexCoder.Decode(key, map.Width, map.Height, FrameCoding.Mixing, k, prior));
            Assert.Equal(next.Indices, IndexCoder.Decode(inter, map.Width, map.Height, FrameCoding.Mixing, k, prior, map.Indices));
        }
    }

    [Fact]
    public void MixingNeedsAPriorOfFormatTwo()
    {
        var trainer = new PriorTrainer(EntropyTestData.K);
        trainer.AddKeyFrame(EntropyTestData.Fixture("cards").Map);
        ContextPrior prior = trainer.Build(0);
        prior.Mix = null;
        ArgumentException error = Assert.Throws<ArgumentException>(() => IndexCoder.Encode([1, 2, 3, 4], 2, 2, FrameCoding.Mixing, 512, prior));
        Assert.Contains("format 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FrameCoding.Learned)]
    [InlineData(FrameCoding.Mixing)]
    public void TruncatedPayloadsFailWithAClearErrorInBoundedTime(FrameCoding coding)
    {
        IndexMap map = EntropyTestData.Fixture("cards").Map;
        byte[] payload = IndexCoder.Encode(map.Indices, map.Width, map.Height, coding, EntropyTestData.K, EntropyTestData.Prior);
        foreach (int length in new[] { 0, 1, payload.Length / 2, payload.Length - 1 })
        {
            FrameFormatException error = Assert.Throws<FrameFormatException>(
                () => IndexCoder.Decode(payload.AsSpan(0, length), map.Width, map.Height, coding, EntropyTestData.K, EntropyTestData.Prior));
            Assert.Equal(FrameError.PayloadUndecodable, error.Error);
        }
    }

    [Theory]
    [InlineData(FrameCoding.Learned)]
    [InlineData(FrameCoding.Mixing)]
    public void EveryCodeStaysCodableEvenWhereThePriorNeverSawIt(FrameCoding coding)
    {
        // Each index differs from all its neighbours and runs through all K codes: the floor keeps every one codable.
        int width = 64;
        ushort[] indices = new ushort[width * 32];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = (ushort)((i * 37) % EntropyTestData.K);
        }

        RoundTrip(new IndexMap(indices, width, 32), coding, previous: null);
        ushort[] shifted = [.. indices.Select(i => (ushort)((i + 255) % EntropyTestData.K))];
        RoundTrip(new IndexMap(shifted, width, 32), coding, previous: new IndexMap(indices, width, 32));
    }

    [Fact]
    public void OutOfRangeIndicesAndSizeMismatchesAreRefused()
    {
        ushort[] indices = [1, 2, 512, 3];
        Assert.Throws<ArgumentException>(() => IndexCoder.Encode(indices, 2, 2, FrameCoding.Baseline, 512, null));
        Assert.Throws<ArgumentException>(() => IndexCoder.Encode([1, 2, 3], 2, 2, FrameCoding.Baseline, 512, null));
        Assert.Throws<ArgumentException>(() => IndexCoder.Encode([1, 2, 3, 4], 2, 2, FrameCoding.Learned, 512, null));
        Assert.Throws<ArgumentException>(() => IndexCoder.Encode([1, 2, 3, 4], 2, 2, FrameCoding.Fixed, 512, null));
        Assert.Throws<ArgumentException>(() => IndexCoder.Encode([1, 2, 3, 4], 2, 2, FrameCoding.Baseline, 512, null, [1, 2, 3]));
    }

    private static void RoundTrip(IndexMap map, FrameCoding coding, IndexMap? previous)
    {
        ContextPrior? prior = coding == FrameCoding.Baseline ? null : EntropyTestData.Prior;
        ReadOnlySpan<ushort> before = previous is null ? default : previous.Indices;
        byte[] payload = IndexCoder.Encode(map.Indices, map.Width, map.Height, coding, EntropyTestData.K, prior, before);
        ushort[] decoded = IndexCoder.Decode(payload, map.Width, map.Height, coding, EntropyTestData.K, prior, before);
        Assert.Equal(map.Indices, decoded);
    }
}

using Grid.Contracts.Frames;

namespace Grid.Entropy.Tests;

public sealed class IndexCoderRoundTripTests
{
    public static TheoryData<FrameCoding> Codings => [FrameCoding.Baseline, FrameCoding.Learned];

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

    [Fact]
    public void EveryCodeStaysCodableEvenWhereThePriorNeverSawIt()
    {
        // Each index differs from all its neighbours and runs through all K codes: the floor keeps every one codable.
        int width = 64;
        ushort[] indices = new ushort[width * 32];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = (ushort)((i * 37) % EntropyTestData.K);
        }

        RoundTrip(new IndexMap(indices, width, 32), FrameCoding.Learned, previous: null);
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
        ContextPrior? prior = coding == FrameCoding.Learned ? EntropyTestData.Prior : null;
        ReadOnlySpan<ushort> before = previous is null ? default : previous.Indices;
        byte[] payload = IndexCoder.Encode(map.Indices, map.Width, map.Height, coding, EntropyTestData.K, prior, before);
        ushort[] decoded = IndexCoder.Decode(payload, map.Width, map.Height, coding, EntropyTestData.K, prior, before);
        Assert.Equal(map.Indices, decoded);
    }
}

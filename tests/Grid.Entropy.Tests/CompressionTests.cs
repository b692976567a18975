using Grid.Contracts.Frames;

namespace Grid.Entropy.Tests;

/// <summary>What the coders are for: fewer bytes than fixed-rate frames, the learned prior fewer than the baseline.</summary>
public sealed class CompressionTests
{
    [Fact]
    public void OnHeldOutImagesTheShippedPriorBeatsBaselineBeatsFixedRate()
    {
        long fixedRate = 0;
        long baseline = 0;
        long learned = 0;
        long mixing = 0;
        foreach (string name in EntropyTestData.ValidationFixtures)
        {
            (IndexMap map, FrameInfo info) = EntropyTestData.Fixture(name);
            fixedRate += info.PayloadLength;
            baseline += IndexCoder.Encode(map.Indices, map.Width, map.Height, FrameCoding.Baseline, EntropyTestData.K, null).Length;
            learned += IndexCoder.Encode(map.Indices, map.Width, map.Height, FrameCoding.Learned, EntropyTestData.K, EntropyTestData.ShippedPrior).Length;
            mixing += IndexCoder.Encode(map.Indices, map.Width, map.Height, FrameCoding.Mixing, EntropyTestData.K, EntropyTestData.ShippedPrior).Length;
        }

        Assert.True(mixing < learned, $"mixing {mixing} bytes, learned {learned}");

        Assert.True(baseline < fixedRate, $"baseline {baseline} bytes, fixed rate {fixedRate}");
        Assert.True(learned < baseline, $"learned {learned} bytes, baseline {baseline}");
    }

    [Fact]
    public void AnInterFrameOfAnAlmostStaticSceneCostsAFractionOfAKeyFrame()
    {
        (IndexMap map, FrameInfo info) = EntropyTestData.Fixture("Megamind-001");
        IndexMap next = EntropyTestData.Perturb(map, 0.03, 5);
        foreach (FrameCoding coding in new[] { FrameCoding.Baseline, FrameCoding.Learned, FrameCoding.Mixing })
        {
            ContextPrior? prior = coding == FrameCoding.Baseline ? null : EntropyTestData.Prior;
            int key = IndexCoder.Encode(next.Indices, next.Width, next.Height, coding, EntropyTestData.K, prior).Length;
            int inter = IndexCoder.Encode(next.Indices, next.Width, next.Height, coding, EntropyTestData.K, prior, map.Indices).Length;

            Assert.True(inter * 10 < info.PayloadLength, $"{coding}: inter frame {inter} bytes, fixed rate {info.PayloadLength}");
            Assert.True(inter < key, $"{coding}: inter frame {inter} bytes, key frame {key}");
        }
    }
}

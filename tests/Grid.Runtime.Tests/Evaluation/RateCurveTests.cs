using Grid.Evaluation;
using Grid.Imaging;

namespace Grid.Runtime.Tests.Evaluation;

/// <summary>The pieces of <c>grid eval --curve</c>: the Bjøntegaard delta rate and the resampler.</summary>
public sealed class RateCurveTests
{
    private static readonly RatePoint[] s_reference = [new(0.25, 26), new(0.5, 29), new(1, 32), new(2, 35), new(4, 38)];

    [Fact]
    public void TheSameCurveIsZeroAndHalfTheRateIsMinusFiftyPercent()
    {
        Assert.Equal(0, BjontegaardDelta.Rate(s_reference, s_reference), 6);
        RatePoint[] half = [.. s_reference.Select(p => p with { Bpp = p.Bpp / 2 })];
        Assert.Equal(-50, BjontegaardDelta.Rate(s_reference, half), 6);
        Assert.Equal(100, BjontegaardDelta.Rate(half, s_reference), 6);
    }

    [Fact]
    public void CurvesThatDoNotOverlapOrHaveTooFewPointsGiveNoNumber()
    {
        RatePoint[] higher = [.. s_reference.Select(p => p with { Psnr = p.Psnr + 20 })];
        Assert.True(double.IsNaN(BjontegaardDelta.Rate(s_reference, higher)));
        Assert.True(double.IsNaN(BjontegaardDelta.Rate(s_reference, s_reference[..3])));
    }

    [Fact]
    public void ResamplingKeepsFlatImagesFlatAndAveragesWhenShrinking()
    {
        var flat = new RgbImage(10, 6, Enumerable.Repeat((byte)77, 10 * 6 * 3).ToArray());
        Assert.All(Resampler.Resize(flat, 23, 17).Pixels, v => Assert.Equal(77, v));
        Assert.All(Resampler.Resize(flat, 3, 2).Pixels, v => Assert.Equal(77, v));

        // Columns alternating 0 and 200: halving the width averages them (nearest neighbour would give 0 or 200;
        // at the borders the filter is cut and renormalised, so a little off 100).
        byte[] stripes = new byte[8 * 4 * 3];
        for (int i = 0; i < stripes.Length; i++)
        {
            stripes[i] = (byte)((i / 3) % 2 == 0 ? 0 : 200);
        }

        RgbImage half = Resampler.Resize(new RgbImage(8, 4, stripes), 4, 4);
        Assert.All(half.Pixels, v => Assert.InRange(v, 80, 120));
        Assert.Equal(stripes, Resampler.Resize(new RgbImage(8, 4, stripes), 8, 4).Pixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.Resize(flat, 0, 4));
    }
}

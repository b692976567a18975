using Grid.Evaluation;

namespace Grid.Runtime.Tests.Evaluation;

/// <summary>The pieces of <c>grid eval --curve</c>: the Bjøntegaard delta rate.</summary>
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
}

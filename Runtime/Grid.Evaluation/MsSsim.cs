using Grid.Imaging;

namespace Grid.Evaluation;

/// <summary>
/// Multi-scale SSIM (Wang, Simoncelli, Bovik 2003) of 8-bit RGB images, with the conventions of pytorch-msssim,
/// which CompressAI-style evaluations use on RGB:
/// <list type="bullet">
/// <item>per channel on the 8-bit values (L = 255), then the mean of the R, G and B results;</item>
/// <item>11x11 Gaussian window (sigma 1.5), K1 = 0.01, K2 = 0.03, 'valid' filtering (no border padding);</item>
/// <item>five scales; the mean contrast-structure term at scales 1 to 4 and the full SSIM (luminance too) at
/// scale 5, each clamped at 0, raised to the weights 0.0448, 0.2856, 0.3001, 0.2363, 0.1333 and multiplied;</item>
/// <item>2x2 average pooling between scales (for odd sides see <see cref="SsimPlane.Halve"/>: torch's
/// <c>avg_pool2d</c> with padding = side % 2).</item>
/// </list>
/// The coarsest scale must still hold one 11-pixel window, so both sides must be at least
/// <see cref="MinimumSide"/> = 11 x 2^4 = 176; smaller images are refused, not scored at fewer scales
/// (pytorch-msssim accepts sides from 161 thanks to its rounding up, but 176 is the standard definition).
/// </summary>
public static class MsSsim
{
    /// <summary>The smallest side MS-SSIM accepts: 11 x 2^4 = 176 px.</summary>
    public const int MinimumSide = SsimWindow.Size << (Scales - 1);

    /// <summary>Number of scales.</summary>
    public const int Scales = 5;

    private static readonly double[] s_weights = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333];

    /// <summary>The exponent of each scale, finest first.</summary>
    public static ReadOnlySpan<double> Weights => s_weights;

    /// <summary>Whether an image of this size has MS-SSIM (both sides at least <see cref="MinimumSide"/>).</summary>
    public static bool IsDefinedFor(int width, int height) => width >= MinimumSide && height >= MinimumSide;

    /// <summary>MS-SSIM of <paramref name="test"/> against <paramref name="reference"/>, in [0, 1]; exactly 1 for identical images.</summary>
    /// <exception cref="ArgumentException">The images differ in size, or a side is below <see cref="MinimumSide"/>.</exception>
    public static double Compute(RgbImage reference, RgbImage test)
    {
        Ssim.CheckSizes(reference, test, MinimumSide, "MS-SSIM", "an 11-pixel window after 4 halvings");
        var statistics = new SsimStatistics(reference.Width, reference.Height);
        double sum = 0;
        for (int channel = 0; channel < RgbImage.Channels; channel++)
        {
            sum += Channel(statistics, SsimPlane.FromChannel(reference, channel), SsimPlane.FromChannel(test, channel));
        }
        return sum / RgbImage.Channels;
    }

    /// <summary>MS-SSIM of <paramref name="test"/> against <paramref name="reference"/>, or NaN when the image is too small.</summary>
    /// <exception cref="ArgumentException">The images differ in size.</exception>
    public static double ComputeOrNaN(RgbImage reference, RgbImage test)
    {
        Ssim.CheckSizes(reference, test, 1, "MS-SSIM", "a pixel");
        return IsDefinedFor(reference.Width, reference.Height) ? Compute(reference, test) : double.NaN;
    }

    private static double Channel(SsimStatistics statistics, SsimPlane a, SsimPlane b)
    {
        double product = 1;
        for (int scale = 0; scale < Scales; scale++)
        {
            (double ssim, double cs) = statistics.Measure(a, b);
            bool coarsest = scale == Scales - 1;
            product *= Math.Pow(Math.Max(coarsest ? ssim : cs, 0), s_weights[scale]);
            if (!coarsest)
            {
                a = a.Halve();
                b = b.Halve();
            }
        }
        return product;
    }
}

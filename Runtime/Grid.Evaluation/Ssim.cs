using Grid.Imaging;

namespace Grid.Evaluation;

/// <summary>
/// Single-scale SSIM (Wang, Bovik, Sheikh, Simoncelli 2004) of 8-bit RGB images: 11x11 Gaussian window
/// (sigma 1.5), K1 = 0.01, K2 = 0.03, L = 255, computed per channel on the 8-bit values and averaged over R, G, B.
/// The SSIM map covers the 'valid' positions only (the window wholly inside the image), which is what
/// scikit-image's <c>structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False)</c>
/// averages after cropping its borders, and what pytorch-msssim computes.
/// </summary>
public static class Ssim
{
    /// <summary>The smallest side SSIM accepts: one whole window.</summary>
    public const int MinimumSide = SsimWindow.Size;

    /// <summary>Mean SSIM of <paramref name="test"/> against <paramref name="reference"/>; 1 for identical images.</summary>
    /// <exception cref="ArgumentException">The images differ in size, or a side is below <see cref="MinimumSide"/>.</exception>
    public static double Compute(RgbImage reference, RgbImage test)
    {
        CheckSizes(reference, test, MinimumSide, "SSIM", "one 11x11 window");
        var statistics = new SsimStatistics(reference.Width, reference.Height);
        double sum = 0;
        for (int channel = 0; channel < RgbImage.Channels; channel++)
        {
            sum += statistics.Measure(SsimPlane.FromChannel(reference, channel), SsimPlane.FromChannel(test, channel)).Ssim;
        }
        return sum / RgbImage.Channels;
    }

    /// <summary>Throws unless the images have the same size and both sides are at least <paramref name="minimumSide"/>.</summary>
    internal static void CheckSizes(RgbImage reference, RgbImage test, int minimumSide, string measure, string why)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(test);
        if (reference.Width != test.Width || reference.Height != test.Height)
        {
            throw new ArgumentException(
                $"images differ in size: {reference.Width}x{reference.Height} vs {test.Width}x{test.Height}", nameof(test));
        }
        if (reference.Width < minimumSide || reference.Height < minimumSide)
        {
            throw new ArgumentException(
                $"{measure} needs both sides at least {minimumSide} px ({why}); the image is {reference.Width}x{reference.Height}",
                nameof(reference));
        }
    }
}

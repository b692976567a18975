using Grid.Imaging;

namespace Grid.Evaluation;

/// <summary>Distortion measures on 8-bit RGB images, as compression papers report them.</summary>
public static class ImageMetrics
{
    /// <summary>Mean squared error over all pixels and channels, in 8-bit units.</summary>
    public static double MeanSquaredError(RgbImage reference, RgbImage test)
    {
        if (reference.Width != test.Width || reference.Height != test.Height)
        {
            throw new ArgumentException(
                $"images differ in size: {reference.Width}x{reference.Height} vs {test.Width}x{test.Height}", nameof(test));
        }
        ReadOnlySpan<byte> a = reference.Pixels;
        ReadOnlySpan<byte> b = test.Pixels;
        long sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int d = a[i] - b[i];
            sum += d * d;
        }
        return (double)sum / a.Length;
    }

    /// <summary>
    /// PSNR in dB over RGB (peak 255). Identical images have infinite PSNR; it is capped at 100 dB so that means
    /// stay finite.
    /// </summary>
    public static double Psnr(RgbImage reference, RgbImage test) => PsnrFromMse(MeanSquaredError(reference, test));

    /// <summary>PSNR in dB for a mean squared error in 8-bit units, capped at 100 dB.</summary>
    public static double PsnrFromMse(double mse) => mse <= 1e-10 ? 100.0 : 10.0 * Math.Log10(255.0 * 255.0 / mse);

    /// <summary>Bits per pixel of <paramref name="bytes"/> for an image of the given size.</summary>
    public static double BitsPerPixel(long bytes, int width, int height) => bytes * 8.0 / ((long)width * height);
}

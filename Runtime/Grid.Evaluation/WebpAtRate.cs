using Grid.Imaging;

namespace Grid.Evaluation;

/// <summary>
/// The lossy WebP (cwebp, method 6; see <see cref="WebpEncoder"/>) of an image at the highest quality that fits a byte
/// budget, decoded with dwebp, with its PSNR and MS-SSIM (NaN below <see cref="MsSsim.MinimumSide"/>).
/// </summary>
public sealed record WebpAtRate(int Quality, int Bytes, double Psnr, double MsSsim, bool OverBudget, RgbImage Decoded)
{
    /// <summary>How many over-budget qualities in a row end the scan above the bisection's answer (see <see cref="Find"/>).</summary>
    public const int DipWindow = 3;

    /// <summary>
    /// The highest integer quality (0..100) whose whole .webp file is not above <paramref name="maxBytes"/>. One cwebp
    /// run costs 0.1-0.3 s at 768x512, so instead of all 101 qualities (as <see cref="JpegAtRate"/> does) this
    /// bisects, then keeps trying the qualities above the result until <see cref="DipWindow"/> in a row are over
    /// budget: cwebp's size is monotonic in quality except for rare one-step dips (seen: 42056 -> 42018 bytes from
    /// q51 to q52), which can mislead a bisection. The returned file is always within budget. When even quality 0 is larger, returns quality 0 with <see cref="OverBudget"/> set.
    /// </summary>
    /// <exception cref="WebpException">cwebp or dwebp is missing or fails.</exception>
    public static WebpAtRate Find(RgbImage image, long maxBytes, WebpTools? tools = null)
    {
        using var encoder = new WebpEncoder(image, tools);
        var files = new Dictionary<int, byte[]>();
        byte[] At(int quality)
        {
            if (!files.TryGetValue(quality, out byte[]? file))
            {
                file = encoder.Encode(quality);
                files[quality] = file;
            }
            return file;
        }

        // Invariant: quality 'fits' is within budget (or -1: none found), quality 'tooBig' is over (or 101).
        int fits = -1;
        int tooBig = 101;
        while (tooBig - fits > 1)
        {
            int middle = (fits + tooBig) / 2;
            if (At(middle).Length <= maxBytes)
            {
                fits = middle;
            }
            else
            {
                tooBig = middle;
            }
        }
        for (int quality = fits + 1; quality <= Math.Min(100, fits + DipWindow); quality++)
        {
            if (At(quality).Length <= maxBytes)
            {
                fits = quality;
            }
        }

        bool overBudget = fits < 0;
        int chosen = overBudget ? 0 : fits;
        byte[] best = At(chosen);
        RgbImage decoded = encoder.Decode(best);
        return new WebpAtRate(
            chosen, best.Length, ImageMetrics.Psnr(image, decoded), Evaluation.MsSsim.ComputeOrNaN(image, decoded), overBudget, decoded);
    }
}

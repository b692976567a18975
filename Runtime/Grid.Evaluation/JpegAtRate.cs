using Grid.Imaging;

namespace Grid.Evaluation;

/// <summary>The JPEG (TurboJPEG, 4:2:0) of an image at the highest quality that fits a byte budget.</summary>
public sealed record JpegAtRate(int Quality, int Bytes, double Psnr, bool OverBudget, RgbImage Decoded)
{
    /// <summary>
    /// The highest quality (1..100) whose file is not above <paramref name="maxBytes"/>. Every quality is tried: file
    /// size is not strictly monotonic in quality, so a binary search can stop short. When even quality 1 is larger,
    /// returns quality 1 with <see cref="OverBudget"/> set: JPEG cannot reach that rate.
    /// </summary>
    public static JpegAtRate Find(RgbImage image, long maxBytes)
    {
        byte[]? best = null;
        int bestQuality = 1;
        for (int quality = 100; quality >= 1 && best is null; quality--)
        {
            byte[] file = Jpeg.Encode(image, quality, JpegSubsampling.S420);
            if (file.Length <= maxBytes)
            {
                best = file;
                bestQuality = quality;
            }
        }
        bool overBudget = best is null;
        best ??= Jpeg.Encode(image, 1, JpegSubsampling.S420);
        RgbImage decoded = Jpeg.Decode(best);
        return new JpegAtRate(bestQuality, best.Length, ImageMetrics.Psnr(image, decoded), overBudget, decoded);
    }
}

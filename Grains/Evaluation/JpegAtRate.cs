using Grid.Grains.Imaging;

namespace Grid.Grains.Evaluation;

/// <summary>The JPEG (TurboJPEG, 4:2:0) of an image at the highest quality that fits a byte budget.</summary>
public sealed record JpegAtRate(int Quality, int Bytes, double Psnr, bool OverBudget, RgbImage Decoded)
{
    /// <summary>
    /// Binary search over quality 1..100 for the largest file not above <paramref name="maxBytes"/>. When even
    /// quality 1 is larger, returns quality 1 with <see cref="OverBudget"/> set: JPEG cannot reach that rate.
    /// </summary>
    public static JpegAtRate Find(RgbImage image, long maxBytes)
    {
        int low = 1, high = 100;
        (int Quality, byte[] File)? best = null;
        while (low <= high)
        {
            int quality = (low + high) / 2;
            byte[] file = Jpeg.Encode(image, quality, JpegSubsampling.S420);
            if (file.Length <= maxBytes)
            {
                best = (quality, file);
                low = quality + 1;
            }
            else
            {
                high = quality - 1;
            }
        }
        bool overBudget = best is null;
        (int q, byte[] bytes) = best ?? (1, Jpeg.Encode(image, 1, JpegSubsampling.S420));
        RgbImage decoded = Jpeg.Decode(bytes);
        return new JpegAtRate(q, bytes.Length, ImageMetrics.Psnr(image, decoded), overBudget, decoded);
    }
}

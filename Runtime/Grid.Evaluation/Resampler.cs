using Grid.Imaging;

namespace Grid.Evaluation;

/// <summary>
/// Separable resampling of RGB images with a triangle (linear) filter whose support widens when shrinking, so a
/// downscale averages every source pixel it covers (no aliasing) and an upscale interpolates linearly. For rate
/// curves only: the evaluation resamples, codes, and resamples back.
/// </summary>
public static class Resampler
{
    /// <summary>The image at <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (width == image.Width && height == image.Height)
        {
            return new RgbImage(width, height, (byte[])image.Pixels.Clone());
        }

        float[] horizontal = new float[width * image.Height * 3];
        (int[] xStart, float[][] xWeights) = Weights(image.Width, width);
        byte[] source = image.Pixels;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float r = 0, g = 0, b = 0;
                float[] w = xWeights[x];
                for (int i = 0; i < w.Length; i++)
                {
                    int at = ((y * image.Width) + xStart[x] + i) * 3;
                    r += w[i] * source[at];
                    g += w[i] * source[at + 1];
                    b += w[i] * source[at + 2];
                }

                int to = ((y * width) + x) * 3;
                horizontal[to] = r;
                horizontal[to + 1] = g;
                horizontal[to + 2] = b;
            }
        }

        (int[] yStart, float[][] yWeights) = Weights(image.Height, height);
        byte[] pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            float[] w = yWeights[y];
            for (int x = 0; x < width * 3; x++)
            {
                float sum = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    sum += w[i] * horizontal[((yStart[y] + i) * width * 3) + x];
                }

                pixels[(y * width * 3) + x] = (byte)Math.Clamp((int)MathF.Round(sum), 0, 255);
            }
        }

        return new RgbImage(width, height, pixels);
    }

    private static (int[] Start, float[][] Weights) Weights(int from, int to)
    {
        double scale = (double)to / from;
        double support = scale < 1 ? 1 / scale : 1;
        int[] start = new int[to];
        float[][] weights = new float[to][];
        for (int i = 0; i < to; i++)
        {
            double center = ((i + 0.5) / scale) - 0.5;
            int first = Math.Max(0, (int)Math.Floor(center - support) + 1);
            int last = Math.Min(from - 1, (int)Math.Ceiling(center + support) - 1);
            if (last < first)
            {
                first = last = Math.Clamp((int)Math.Round(center), 0, from - 1);
            }

            double[] raw = new double[last - first + 1];
            double total = 0;
            for (int j = first; j <= last; j++)
            {
                raw[j - first] = Math.Max(0, 1 - (Math.Abs(j - center) / support));
                total += raw[j - first];
            }

            if (total <= 0)
            {
                raw[Math.Clamp((int)Math.Round(center) - first, 0, raw.Length - 1)] = 1;
                total = 1;
            }

            start[i] = first;
            weights[i] = [.. raw.Select(r => (float)(r / total))];
        }

        return (start, weights);
    }
}

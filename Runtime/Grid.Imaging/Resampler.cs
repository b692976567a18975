namespace Grid.Imaging;

/// <summary>
/// Deterministic separable resampling of RGB images (the quality levels' filter, docs/frame-format.md): a triangle
/// (linear) filter whose support widens by the shrink factor when shrinking, so a downscale averages every source
/// pixel it covers and an upscale interpolates linearly; edges are clamped (weights renormalised). The weights are
/// computed in IEEE double arithmetic and quantised to 14-bit integers that sum to exactly 16384; the pixels are then
/// filtered in integers only (horizontal pass kept with 8 fractional bits, rounded half up), so every machine
/// produces the same bytes.
/// </summary>
public static class Resampler
{
    private const int WeightBits = 14;
    private const int One = 1 << WeightBits;

    /// <summary>Fractional bits the horizontal pass keeps.</summary>
    private const int IntermediateBits = 8;

    private const int HorizontalShift = WeightBits - IntermediateBits;
    private const int VerticalShift = WeightBits + IntermediateBits;

    /// <summary>The image at <paramref name="width"/> x <paramref name="height"/> (a copy when the size is its own).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A side below 1.</exception>
    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (width == image.Width && height == image.Height)
        {
            return new RgbImage(width, height, (byte[])image.Pixels.Clone());
        }

        int sourceWidth = image.Width;
        int[] horizontal = new int[width * image.Height * 3];
        (int[] xStart, int[][] xWeights) = Weights(sourceWidth, width);
        byte[] source = image.Pixels;
        for (int y = 0; y < image.Height; y++)
        {
            int row = y * sourceWidth;
            for (int x = 0; x < width; x++)
            {
                int r = 0, g = 0, b = 0;
                int[] w = xWeights[x];
                int at = (row + xStart[x]) * 3;
                for (int i = 0; i < w.Length; i++, at += 3)
                {
                    r += w[i] * source[at];
                    g += w[i] * source[at + 1];
                    b += w[i] * source[at + 2];
                }

                int to = ((y * width) + x) * 3;
                horizontal[to] = (r + (1 << (HorizontalShift - 1))) >> HorizontalShift;
                horizontal[to + 1] = (g + (1 << (HorizontalShift - 1))) >> HorizontalShift;
                horizontal[to + 2] = (b + (1 << (HorizontalShift - 1))) >> HorizontalShift;
            }
        }

        (int[] yStart, int[][] yWeights) = Weights(image.Height, height);
        int stride = width * 3;
        byte[] pixels = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            int[] w = yWeights[y];
            int first = yStart[y] * stride;
            for (int x = 0; x < stride; x++)
            {
                // At most 255 << 8 times weights summing to 2^14: below 2^31.
                int sum = 0;
                for (int i = 0, at = first + x; i < w.Length; i++, at += stride)
                {
                    sum += w[i] * horizontal[at];
                }

                pixels[(y * stride) + x] = (byte)Math.Min(255, (sum + (1 << (VerticalShift - 1))) >> VerticalShift);
            }
        }

        return new RgbImage(width, height, pixels);
    }

    /// <summary>For each output position: the first source position it reads and its integer weights (summing to 2^14).</summary>
    private static (int[] Start, int[][] Weights) Weights(int from, int to)
    {
        double scale = (double)to / from;
        double support = scale < 1 ? 1 / scale : 1;
        int[] start = new int[to];
        int[][] weights = new int[to][];
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

            int[] quantised = new int[raw.Length];
            int sum = 0;
            int largest = 0;
            for (int j = 0; j < raw.Length; j++)
            {
                quantised[j] = (int)Math.Round(raw[j] / total * One);
                sum += quantised[j];
                if (quantised[j] > quantised[largest])
                {
                    largest = j;
                }
            }

            quantised[largest] += One - sum; // the rounding remainder, so that a flat image stays flat
            start[i] = first;
            weights[i] = quantised;
        }

        return (start, weights);
    }
}

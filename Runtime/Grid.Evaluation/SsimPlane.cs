using Grid.Imaging;

namespace Grid.Evaluation;

/// <summary>One channel of an image as floats (the 8-bit values, not rescaled), row-major, no padding.</summary>
internal sealed class SsimPlane
{
    public SsimPlane(int width, int height)
    {
        Width = width;
        Height = height;
        Values = new float[width * height];
    }

    public int Width { get; }

    public int Height { get; }

    public float[] Values { get; }

    /// <summary>Channel <paramref name="channel"/> (0 R, 1 G, 2 B) of <paramref name="image"/>.</summary>
    public static SsimPlane FromChannel(RgbImage image, int channel)
    {
        var plane = new SsimPlane(image.Width, image.Height);
        ReadOnlySpan<byte> pixels = image.Pixels;
        float[] values = plane.Values;
        for (int i = 0, j = channel; i < values.Length; i++, j += RgbImage.Channels)
        {
            values[i] = pixels[j];
        }
        return plane;
    }

    /// <summary>
    /// 2x2 average pooling as pytorch-msssim does it (torch <c>avg_pool2d(kernel 2, stride 2, padding = side % 2)</c>,
    /// padding counted): an odd side gets a zero row/column on each side, so the result is ceil(side / 2) long and
    /// its first row/column averages the image edge with zeros. Even sides (768x512 and every side after halving
    /// one) are plain 2x2 means.
    /// </summary>
    public SsimPlane Halve()
    {
        int padX = Width % 2;
        int padY = Height % 2;
        var result = new SsimPlane((Width + 1) / 2, (Height + 1) / 2);
        float[] source = Values;
        float[] target = result.Values;
        for (int y = 0; y < result.Height; y++)
        {
            int top = (2 * y) - padY; // -1 only for the zero padding row
            int topRow = top * Width;
            int bottomRow = (top + 1) * Width;
            int targetRow = y * result.Width;
            for (int x = 0; x < result.Width; x++)
            {
                int left = (2 * x) - padX;
                float sum = source[bottomRow + left + 1];
                if (left >= 0)
                {
                    sum += source[bottomRow + left];
                }
                if (top >= 0)
                {
                    sum += source[topRow + left + 1];
                    if (left >= 0)
                    {
                        sum += source[topRow + left];
                    }
                }
                target[targetRow + x] = sum * 0.25f;
            }
        }
        return result;
    }
}

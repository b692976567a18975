using Grid.Codec;
using Grid.Contracts.Frames;
using Grid.Imaging;

namespace Grid.Evaluation;

/// <summary>One point of a codec's rate-distortion curve on one image: the setting that gave it (scale or quality).</summary>
public sealed record CurvePoint(double Setting, int Bytes, double Bpp, double Psnr)
{
    public RatePoint Rate => new(Bpp, Psnr);
}

/// <summary>
/// Rate-distortion curves of one image: Grid's, JPEG's and (optionally) WebP's, and Grid's BD-rate against each.
/// </summary>
public sealed record ImageCurve(string Name, int Width, int Height, IReadOnlyList<CurvePoint> Grid, IReadOnlyList<CurvePoint> Jpeg, IReadOnlyList<CurvePoint>? Webp)
{
    /// <summary>Grid's BD-rate against JPEG in percent (negative: Grid needs fewer bits); NaN where the curves do not overlap.</summary>
    public double BdRateJpeg => BjontegaardDelta.Rate([.. Jpeg.Select(p => p.Rate)], [.. Grid.Select(p => p.Rate)]);

    /// <summary>Grid's BD-rate against WebP in percent; NaN without WebP or without overlap.</summary>
    public double BdRateWebp => Webp is null ? double.NaN : BjontegaardDelta.Rate([.. Webp.Select(p => p.Rate)], [.. Grid.Select(p => p.Rate)]);
}

/// <summary>
/// <c>grid eval --curve</c>. Grid has one quality level (one model, entropy-coded indices), so its curve points
/// come from coding the image at other resolutions: resampled by each of <see cref="Scales"/> before encoding and
/// back to full size after decoding, rate counted against the original pixels. JPEG and WebP are measured at a
/// ladder of qualities. This is what a client could do today; a second codebook stage (issue 18, point 6) would
/// add real quality levels.
/// </summary>
public static class RateCurve
{
    /// <summary>Resolution factors of Grid's points (1 = the frame as coded today).</summary>
    public static readonly double[] Scales = [0.5, 0.71, 1.0, 1.41, 2.0];

    /// <summary>Qualities of the JPEG curve (TurboJPEG, 4:2:0).</summary>
    public static readonly int[] JpegQualities = [5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95];

    /// <summary>Qualities of the WebP curve (cwebp -m 6).</summary>
    public static readonly int[] WebpQualities = [5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95];

    /// <summary>Measures the curves of one image file.</summary>
    /// <param name="codec">The model; frames are coded with its prior when it has one, else at the fixed rate.</param>
    /// <param name="file">A PNG, JPEG or PPM file.</param>
    /// <param name="webp">Whether to measure WebP too (needs cwebp/dwebp).</param>
    /// <param name="tools">Where cwebp and dwebp are.</param>
    public static ImageCurve Measure(VqCodec codec, string file, bool webp, WebpTools? tools = null)
    {
        ArgumentNullException.ThrowIfNull(codec);
        RgbImage image = ImageFile.Read(file);
        FrameCoding coding = codec.Prior is null ? FrameCoding.Fixed : FrameCoding.Learned;
        var grid = new List<CurvePoint>();
        foreach (double scale in Scales)
        {
            int width = Math.Max(4, (int)Math.Round(image.Width * scale));
            int height = Math.Max(4, (int)Math.Round(image.Height * scale));
            RgbImage scaled = Resampler.Resize(image, width, height);
            byte[] frame = codec.Encode(scaled, coding);
            RgbImage back = Resampler.Resize(codec.Decode(frame), image.Width, image.Height);
            grid.Add(new CurvePoint(scale, frame.Length, ImageMetrics.BitsPerPixel(frame.Length, image.Width, image.Height), ImageMetrics.Psnr(image, back)));
        }

        var jpeg = new List<CurvePoint>();
        foreach (int quality in JpegQualities)
        {
            byte[] bytes = Jpeg.Encode(image, quality, JpegSubsampling.S420);
            jpeg.Add(new CurvePoint(quality, bytes.Length, ImageMetrics.BitsPerPixel(bytes.Length, image.Width, image.Height), ImageMetrics.Psnr(image, Jpeg.Decode(bytes))));
        }

        List<CurvePoint>? webpCurve = null;
        if (webp)
        {
            webpCurve = [];
            using var encoder = new WebpEncoder(image, tools);
            foreach (int quality in WebpQualities)
            {
                byte[] bytes = encoder.Encode(quality);
                webpCurve.Add(new CurvePoint(quality, bytes.Length, ImageMetrics.BitsPerPixel(bytes.Length, image.Width, image.Height), ImageMetrics.Psnr(image, encoder.Decode(bytes))));
            }
        }

        return new ImageCurve(Path.GetFileName(file), image.Width, image.Height, grid, jpeg, webpCurve);
    }
}

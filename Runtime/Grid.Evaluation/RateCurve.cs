using Grid.Codec;
using Grid.Contracts.Frames;
using Grid.Imaging;

namespace Grid.Evaluation;

/// <summary>One point of a codec's rate-distortion curve on one image: the setting that gave it (scale or quality).</summary>
public sealed record CurvePoint(double Setting, int Bytes, double Bpp, double Psnr)
{
    public RatePoint Rate => new(Bpp, Psnr);
}

/// <summary>Another codec at one Grid frame's own rate: its highest quality whose file is not larger than the frame.</summary>
/// <param name="Quality">The JPEG or WebP quality chosen.</param>
/// <param name="Bytes">Its file size.</param>
/// <param name="Bpp">Its bits per pixel.</param>
/// <param name="Psnr">Its PSNR against the original.</param>
/// <param name="OverBudget">Even its lowest quality is larger than Grid's frame (it cannot reach that rate).</param>
public sealed record EqualRatePoint(int Quality, int Bytes, double Bpp, double Psnr, bool OverBudget);

/// <summary>Grid at one quality level on one image, with JPEG (and WebP) at that frame's own rate.</summary>
public sealed record LevelPoint(FrameQuality Quality, CurvePoint Grid, EqualRatePoint Jpeg, EqualRatePoint? Webp);

/// <summary>
/// Rate-distortion curves of one image: Grid's (one point per quality level), JPEG's and (optionally) WebP's, Grid's
/// BD-rate against each, and each level compared with JPEG (and WebP) at the frame's own rate.
/// </summary>
public sealed record ImageCurve(string Name, int Width, int Height, IReadOnlyList<LevelPoint> Levels, IReadOnlyList<CurvePoint> Jpeg, IReadOnlyList<CurvePoint>? Webp)
{
    /// <summary>Grid's points, lowest level first (setting = the level's scale factor).</summary>
    public IReadOnlyList<CurvePoint> Grid => [.. Levels.Select(l => l.Grid)];

    /// <summary>Grid's BD-rate against JPEG in percent (negative: Grid needs fewer bits); NaN where the curves do not overlap.</summary>
    public double BdRateJpeg => BjontegaardDelta.Rate([.. Jpeg.Select(p => p.Rate)], [.. Grid.Select(p => p.Rate)]);

    /// <summary>Grid's BD-rate against WebP in percent; NaN without WebP or without overlap.</summary>
    public double BdRateWebp => Webp is null ? double.NaN : BjontegaardDelta.Rate([.. Webp.Select(p => p.Rate)], [.. Grid.Select(p => p.Rate)]);
}

/// <summary>
/// <c>grid eval --curve</c>: each image coded at every quality level of the product (<see cref="FrameQualities.All"/>:
/// the image resampled to the level's coded size, decoded back to full size, whole frames counted against the
/// original pixels) against JPEG and WebP at a ladder of qualities, and against JPEG (and WebP) at each frame's own
/// byte size.
/// </summary>
public static class RateCurve
{
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
        return Measure(codec, Path.GetFileName(file), ImageFile.Read(file), webp, tools);
    }

    /// <summary>Measures the curves of one image.</summary>
    public static ImageCurve Measure(VqCodec codec, string name, RgbImage image, bool webp, WebpTools? tools = null)
    {
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(image);
        FrameCoding coding = codec.Prior is null ? FrameCoding.Fixed : FrameCoding.Learned;
        double Bpp(int bytes) => ImageMetrics.BitsPerPixel(bytes, image.Width, image.Height);
        var levels = new List<LevelPoint>();
        foreach (FrameQuality quality in FrameQualities.All)
        {
            byte[] frame = codec.Encode(image, coding, quality);
            RgbImage decoded = codec.Decode(frame);
            var grid = new CurvePoint(FrameQualities.Factor(quality), frame.Length, Bpp(frame.Length), ImageMetrics.Psnr(image, decoded));
            JpegAtRate jpeg = JpegAtRate.Find(image, frame.Length);
            EqualRatePoint? webpAt = null;
            if (webp)
            {
                WebpAtRate found = WebpAtRate.Find(image, frame.Length, tools);
                webpAt = new EqualRatePoint(found.Quality, found.Bytes, Bpp(found.Bytes), found.Psnr, found.OverBudget);
            }

            levels.Add(new LevelPoint(quality, grid, new EqualRatePoint(jpeg.Quality, jpeg.Bytes, Bpp(jpeg.Bytes), jpeg.Psnr, jpeg.OverBudget), webpAt));
        }

        var jpegCurve = new List<CurvePoint>();
        foreach (int quality in JpegQualities)
        {
            byte[] bytes = Jpeg.Encode(image, quality, JpegSubsampling.S420);
            jpegCurve.Add(new CurvePoint(quality, bytes.Length, Bpp(bytes.Length), ImageMetrics.Psnr(image, Jpeg.Decode(bytes))));
        }

        List<CurvePoint>? webpCurve = null;
        if (webp)
        {
            webpCurve = [];
            using var encoder = new WebpEncoder(image, tools);
            foreach (int quality in WebpQualities)
            {
                byte[] bytes = encoder.Encode(quality);
                webpCurve.Add(new CurvePoint(quality, bytes.Length, Bpp(bytes.Length), ImageMetrics.Psnr(image, encoder.Decode(bytes))));
            }
        }

        return new ImageCurve(name, image.Width, image.Height, levels, jpegCurve, webpCurve);
    }
}

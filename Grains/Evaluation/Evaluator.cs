using Grid.Contracts.Frames;
using Grid.Grains.Codec;
using Grid.Grains.Imaging;

namespace Grid.Grains.Evaluation;

/// <summary>One image's result: Grid's frame against JPEG at the same or a lower rate.</summary>
public sealed record ImageEvaluation(
    string Name, int Width, int Height, int FrameBytes, double Bpp, double Psnr,
    int JpegBytes, double JpegBpp, double JpegPsnr, int JpegQuality, bool JpegOverBudget);

/// <summary>Results over a set of images; means are per image (each image counts once, as CompressAI does).</summary>
public sealed record EvaluationReport(IReadOnlyList<ImageEvaluation> Images, int CodesUsed, double Perplexity, double TopCodeShare, int CodebookSize)
{
    public double MeanPsnr => Images.Average(i => i.Psnr);
    public double MeanBpp => Images.Average(i => i.Bpp);
    public double MeanJpegPsnr => Images.Average(i => i.JpegPsnr);
    public double MeanJpegBpp => Images.Average(i => i.JpegBpp);
}

/// <summary>
/// Encodes each image to a frame, decodes it, and measures PSNR after rounding to 8 bits; bpp counts every byte of
/// the frame (header included). The JPEG baseline is the highest-quality JPEG whose file is not larger.
/// </summary>
public static class Evaluator
{
    public static IReadOnlyList<string> ImageFiles(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"image directory '{directory}' does not exist");
        }
        string[] files = Directory.EnumerateFiles(directory)
            .Where(IsImageFile)
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"no PNG, JPEG or PPM files in '{directory}'");
        }
        return files;
    }

    public static bool IsImageFile(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".png" or ".jpg" or ".jpeg" or ".ppm" or ".pgm";

    public static EvaluationReport Evaluate(VqCodec codec, IReadOnlyList<string> files, bool withJpeg = true, Action<int, ImageEvaluation>? progress = null)
    {
        var usage = new CodeUsage(codec.Config.CodebookSize);
        var rows = new List<ImageEvaluation>(files.Count);
        foreach (string file in files)
        {
            RgbImage image = ImageFile.Read(file);
            byte[] frame = codec.Encode(image);
            ushort[] indices = VqfReader.ReadIndices(frame, out _);
            usage.Add(indices);
            RgbImage decoded = codec.Decode(frame);
            double psnr = ImageMetrics.Psnr(image, decoded);
            double bpp = ImageMetrics.BitsPerPixel(frame.Length, image.Width, image.Height);
            JpegAtRate? jpeg = withJpeg ? JpegAtRate.Find(image, frame.Length) : null;
            var row = new ImageEvaluation(
                Path.GetFileName(file), image.Width, image.Height, frame.Length, bpp, psnr,
                jpeg?.Bytes ?? 0, jpeg is null ? 0 : ImageMetrics.BitsPerPixel(jpeg.Bytes, image.Width, image.Height),
                jpeg?.Psnr ?? double.NaN, jpeg?.Quality ?? 0, jpeg?.OverBudget ?? false);
            rows.Add(row);
            progress?.Invoke(rows.Count, row);
        }
        return new EvaluationReport(rows, usage.CodesUsed, usage.Perplexity, usage.TopCodeShare, usage.CodebookSize);
    }
}

using Grid.Contracts.Frames;
using Grid.Codec;
using Grid.Entropy;
using Grid.Imaging;

namespace Grid.Evaluation;

/// <summary>
/// One image's result: Grid's frame against JPEG (and optionally WebP) at the same or a lower rate. MS-SSIM values
/// are NaN for images with a side below <see cref="Evaluation.MsSsim.MinimumSide"/>; JPEG values are NaN/0 when JPEG
/// was not measured, <see cref="Webp"/> is null when WebP was not.
/// </summary>
public sealed record ImageEvaluation(
    string Name, int Width, int Height, int FrameBytes, double Bpp, double Psnr,
    int JpegBytes, double JpegBpp, double JpegPsnr, int JpegQuality, bool JpegOverBudget,
    double MsSsim = double.NaN, double JpegMsSsim = double.NaN, BaselinePoint? Webp = null,
    int BaselineBytes = 0, int LearnedBytes = 0, BaselinePoint? JpegAtLearned = null, BaselinePoint? WebpAtLearned = null)
{
    /// <summary>Bits per pixel of the same indices in a version 2 frame with baseline coding (header included); NaN if not measured.</summary>
    public double BaselineBpp => BaselineBytes == 0 ? double.NaN : ImageMetrics.BitsPerPixel(BaselineBytes, Width, Height);

    /// <summary>Bits per pixel of the same indices in a version 2 frame with the learned prior (header included); NaN if not measured.</summary>
    public double LearnedBpp => LearnedBytes == 0 ? double.NaN : ImageMetrics.BitsPerPixel(LearnedBytes, Width, Height);
}

/// <summary>
/// Results over a set of images; means are per image (each image counts once, as CompressAI does). A mean is NaN
/// when any image lacks the value (an MS-SSIM below 176 px, a codec not measured).
/// </summary>
public sealed record EvaluationReport(IReadOnlyList<ImageEvaluation> Images, int CodesUsed, double Perplexity, double TopCodeShare, int CodebookSize)
{
    public double MeanPsnr => Images.Average(i => i.Psnr);
    public double MeanBpp => Images.Average(i => i.Bpp);
    public double MeanJpegPsnr => Images.Average(i => i.JpegPsnr);
    public double MeanJpegBpp => Images.Average(i => i.JpegBpp);
    public double MeanMsSsim => Images.Average(i => i.MsSsim);
    public double MeanBaselineBpp => Images.Average(i => i.BaselineBpp);
    public double MeanLearnedBpp => Images.Average(i => i.LearnedBpp);
    public double MeanJpegMsSsim => Images.Average(i => i.JpegMsSsim);

    /// <summary>Whether WebP was measured on every image.</summary>
    public bool HasWebp => Images.Count > 0 && Images.All(i => i.Webp is not null);

    public double MeanWebpBpp => HasWebp ? Images.Average(i => i.Webp!.Bpp) : double.NaN;
    public double MeanWebpPsnr => HasWebp ? Images.Average(i => i.Webp!.Psnr) : double.NaN;
    public double MeanWebpMsSsim => HasWebp ? Images.Average(i => i.Webp!.MsSsim) : double.NaN;

    /// <summary>Whether JPEG was also measured at every image's learned (entropy-coded) size.</summary>
    public bool HasJpegAtLearned => Images.Count > 0 && Images.All(i => i.JpegAtLearned is not null);

    /// <summary>Whether WebP was also measured at every image's learned size.</summary>
    public bool HasWebpAtLearned => Images.Count > 0 && Images.All(i => i.WebpAtLearned is not null);

    public double MeanJpegAtLearnedBpp => HasJpegAtLearned ? Images.Average(i => i.JpegAtLearned!.Bpp) : double.NaN;

    public double MeanJpegAtLearnedPsnr => HasJpegAtLearned ? Images.Average(i => i.JpegAtLearned!.Psnr) : double.NaN;

    public double MeanJpegAtLearnedMsSsim => HasJpegAtLearned ? Images.Average(i => i.JpegAtLearned!.MsSsim) : double.NaN;

    public double MeanWebpAtLearnedBpp => HasWebpAtLearned ? Images.Average(i => i.WebpAtLearned!.Bpp) : double.NaN;

    public double MeanWebpAtLearnedPsnr => HasWebpAtLearned ? Images.Average(i => i.WebpAtLearned!.Psnr) : double.NaN;

    public double MeanWebpAtLearnedMsSsim => HasWebpAtLearned ? Images.Average(i => i.WebpAtLearned!.MsSsim) : double.NaN;
}

/// <summary>
/// Encodes each image to a frame, decodes it, and measures PSNR and MS-SSIM after rounding to 8 bits; bpp counts
/// every byte of the frame (header included). The same indices are also entropy-coded (baseline and, when the
/// model has a prior, learned) and their frame sizes reported. The baselines are the highest-quality JPEG (and WebP) whose file is
/// not larger.
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

    public static EvaluationReport Evaluate(VqCodec codec, IReadOnlyList<string> files, bool withJpeg = true, Action<int, ImageEvaluation>? progress = null) =>
        Evaluate(codec, files, new EvaluationOptions { Jpeg = withJpeg }, progress);

    /// <summary>Evaluates every file in order.</summary>
    /// <param name="codec">The model under test.</param>
    /// <param name="files">Image files (PNG, JPEG, PPM).</param>
    /// <param name="options">Which baselines to measure.</param>
    /// <param name="progress">Called after each image with the count done and its row.</param>
    /// <param name="reconstructed">Called after each image with its row and the decoded pictures (for reports), before they are dropped.</param>
    /// <exception cref="WebpException">WebP was asked for and cwebp/dwebp is missing or fails.</exception>
    public static EvaluationReport Evaluate(
        VqCodec codec, IReadOnlyList<string> files, EvaluationOptions options,
        Action<int, ImageEvaluation>? progress = null, Action<ImageEvaluation, ImageReconstructions>? reconstructed = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var usage = new CodeUsage(codec.Config.CodebookSize);
        var rows = new List<ImageEvaluation>(files.Count);
        foreach (string file in files)
        {
            RgbImage image = ImageFile.Read(file);
            byte[] frame = codec.Encode(image);
            ushort[] indices = VqfReader.ReadIndices(frame, out FrameInfo info);
            usage.Add(indices);
            int baselineBytes = CodedLength(codec, info, indices, FrameCoding.Baseline);
            int learnedBytes = codec.Prior is null ? 0 : CodedLength(codec, info, indices, FrameCoding.Learned);
            RgbImage decoded = codec.Decode(frame);
            double bpp = ImageMetrics.BitsPerPixel(frame.Length, image.Width, image.Height);
            JpegAtRate? jpeg = options.Jpeg ? JpegAtRate.Find(image, frame.Length) : null;
            WebpAtRate? webp = options.Webp ? WebpAtRate.Find(image, frame.Length, options.WebpTools) : null;

            // Entropy coding makes every image's rate its own: the classic codecs again, at the learned frame's size.
            BaselinePoint? jpegAtLearned = null;
            BaselinePoint? webpAtLearned = null;
            if (learnedBytes > 0 && options.Jpeg)
            {
                JpegAtRate atLearned = JpegAtRate.Find(image, learnedBytes);
                jpegAtLearned = new BaselinePoint(
                    atLearned.Quality, atLearned.Bytes, ImageMetrics.BitsPerPixel(atLearned.Bytes, image.Width, image.Height),
                    atLearned.Psnr, MsSsim.ComputeOrNaN(image, atLearned.Decoded), atLearned.OverBudget);
            }

            if (learnedBytes > 0 && options.Webp)
            {
                WebpAtRate atLearned = WebpAtRate.Find(image, learnedBytes, options.WebpTools);
                webpAtLearned = new BaselinePoint(
                    atLearned.Quality, atLearned.Bytes, ImageMetrics.BitsPerPixel(atLearned.Bytes, image.Width, image.Height),
                    atLearned.Psnr, atLearned.MsSsim, atLearned.OverBudget);
            }

            var row = new ImageEvaluation(
                Path.GetFileName(file), image.Width, image.Height, frame.Length, bpp, ImageMetrics.Psnr(image, decoded),
                jpeg?.Bytes ?? 0, jpeg is null ? 0 : ImageMetrics.BitsPerPixel(jpeg.Bytes, image.Width, image.Height),
                jpeg?.Psnr ?? double.NaN, jpeg?.Quality ?? 0, jpeg?.OverBudget ?? false,
                MsSsim.ComputeOrNaN(image, decoded),
                jpeg is null ? double.NaN : MsSsim.ComputeOrNaN(image, jpeg.Decoded),
                webp is null ? null : new BaselinePoint(
                    webp.Quality, webp.Bytes, ImageMetrics.BitsPerPixel(webp.Bytes, image.Width, image.Height), webp.Psnr, webp.MsSsim, webp.OverBudget),
                baselineBytes, learnedBytes, jpegAtLearned, webpAtLearned);
            rows.Add(row);
            reconstructed?.Invoke(row, new ImageReconstructions(image, decoded, jpeg?.Decoded, webp?.Decoded));
            progress?.Invoke(rows.Count, row);
        }
        return new EvaluationReport(rows, usage.CodesUsed, usage.Perplexity, usage.TopCodeShare, usage.CodebookSize);
    }

    /// <summary>
    /// The length of the version 2 frame of the same indices, after checking it decodes to exactly them (lossless
    /// coding: PSNR and MS-SSIM are those of the fixed-rate frame by construction).
    /// </summary>
    private static int CodedLength(VqCodec codec, FrameInfo info, ushort[] indices, FrameCoding coding)
    {
        byte[] frame = EntropyFrames.Encode(info, indices, coding, codec.Prior);
        if (!codec.ReadIndices(frame, default, out _).AsSpan().SequenceEqual(indices))
        {
            throw new InvalidOperationException($"{coding} coding did not give back the indices it was given");
        }

        return frame.Length;
    }
}

using Grid.Codec;
using Grid.Evaluation;
using Grid.Imaging;
using Grid.Runtime.Tests.Codec;

namespace Grid.Runtime.Tests.Evaluation;

public sealed class EvaluationTests : IDisposable
{
    private readonly string _root = CodecTestData.TempDirectory();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void PsnrOfAKnownErrorIsExact()
    {
        var a = new RgbImage(4, 4);
        var b = new RgbImage(4, 4);
        Array.Fill(b.Pixels, (byte)5); // every sample off by 5: MSE 25

        Assert.Equal(25, ImageMetrics.MeanSquaredError(a, b));
        Assert.Equal(10 * Math.Log10(255.0 * 255.0 / 25), ImageMetrics.Psnr(a, b), 12);
        Assert.Equal(100, ImageMetrics.Psnr(a, a));
        Assert.Throws<ArgumentException>(() => ImageMetrics.Psnr(a, new RgbImage(4, 5)));
    }

    [Fact]
    public void CodeUsageCountsPerplexityAndTopShare()
    {
        var usage = new CodeUsage(8);
        usage.Add([0, 0, 1, 1, 2, 2, 3, 3]);

        Assert.Equal(4, usage.CodesUsed);
        Assert.Equal(4, usage.Perplexity, 9); // uniform over 4 codes
        Assert.Equal(0.25, usage.TopCodeShare, 9);

        usage.Add([0, 0, 0, 0]);
        Assert.Equal(0.5, usage.TopCodeShare, 9);
        Assert.InRange(usage.Perplexity, 1, 4);
    }

    [Fact]
    public void JpegAtRateNeverExceedsTheBudgetAndUsesItWell()
    {
        RgbImage image = CodecTestData.Image(96, 64);
        int budget = Jpeg.Encode(image, 60, JpegSubsampling.S420).Length;

        JpegAtRate found = JpegAtRate.Find(image, budget);

        Assert.False(found.OverBudget);
        Assert.True(found.Bytes <= budget);
        Assert.True(found.Quality >= 60);
        double lowQuality = ImageMetrics.Psnr(image, Jpeg.Decode(Jpeg.Encode(image, 20, JpegSubsampling.S420)));
        Assert.True(found.Psnr > lowQuality);
        Assert.Equal(ImageMetrics.Psnr(image, found.Decoded), found.Psnr);
    }

    [Fact]
    public void JpegAtRateReportsWhenEvenQualityOneIsTooBig()
    {
        JpegAtRate found = JpegAtRate.Find(CodecTestData.Image(64, 64), maxBytes: 10);

        Assert.True(found.OverBudget);
        Assert.Equal(1, found.Quality);
    }

    [Fact]
    public void EvaluatorReportsEveryImageWithWholeFrameBpp()
    {
        string images = Path.Combine(_root, "images");
        Directory.CreateDirectory(images);
        ImageFile.Write(Path.Combine(images, "a.png"), CodecTestData.Image(64, 48, 1));
        ImageFile.Write(Path.Combine(images, "b.ppm"), CodecTestData.Image(33, 21, 2));
        File.WriteAllText(Path.Combine(images, "notes.txt"), "not an image");
        using VqCodec codec = VqCodec.Load(CodecTestData.CreateModelDirectory(_root));

        EvaluationReport report = Evaluator.Evaluate(codec, Evaluator.ImageFiles(images));

        Assert.Equal(["a.png", "b.ppm"], report.Images.Select(i => i.Name));
        ImageEvaluation a = report.Images[0];
        Assert.Equal(31 + (16 * 12 * 9 / 8), a.FrameBytes);
        Assert.Equal(a.FrameBytes * 8.0 / (64 * 48), a.Bpp, 12);
        Assert.True(a.JpegBytes <= a.FrameBytes || a.JpegOverBudget);
        Assert.InRange(report.CodesUsed, 1, 512);
    }

    [Fact]
    public void EvaluatorAddsMsSsimWhereDefinedAndWebpWhenAsked()
    {
        string images = Path.Combine(_root, "images");
        Directory.CreateDirectory(images);
        ImageFile.Write(Path.Combine(images, "large.png"), CodecTestData.Image(192, 180, 1));
        ImageFile.Write(Path.Combine(images, "small.png"), CodecTestData.Image(64, 48, 2));
        using VqCodec codec = VqCodec.Load(CodecTestData.CreateModelDirectory(_root));
        var pictures = new List<ImageReconstructions>();

        EvaluationReport report = Evaluator.Evaluate(
            codec, Evaluator.ImageFiles(images), new EvaluationOptions { Webp = true }, reconstructed: (_, p) => pictures.Add(p));

        ImageEvaluation large = report.Images[0];
        ImageEvaluation small = report.Images[1];
        Assert.Equal(MsSsim.Compute(pictures[0].Original, pictures[0].Grid), large.MsSsim);
        Assert.Equal(MsSsim.Compute(pictures[0].Original, pictures[0].Jpeg!), large.JpegMsSsim);
        Assert.Equal(MsSsim.Compute(pictures[0].Original, pictures[0].Webp!), large.Webp!.MsSsim);
        Assert.Equal(ImageMetrics.Psnr(pictures[0].Original, pictures[0].Webp!), large.Webp.Psnr);
        Assert.True(large.Webp.Bytes <= large.FrameBytes || large.Webp.OverBudget);
        Assert.Equal(large.Webp.Bytes * 8.0 / (192 * 180), large.Webp.Bpp, 12);
        Assert.True(double.IsNaN(small.MsSsim) && double.IsNaN(small.JpegMsSsim) && double.IsNaN(small.Webp!.MsSsim));
        Assert.True(report.HasWebp);
        Assert.True(double.IsNaN(report.MeanMsSsim)); // a mean over an image without MS-SSIM is not given
        Assert.Equal((large.Webp.Psnr + small.Webp.Psnr) / 2, report.MeanWebpPsnr, 12);
        Assert.Equal(2, pictures.Count);
        Assert.All(pictures, p => Assert.Equal((p.Original.Width, p.Original.Height), (p.Grid.Width, p.Grid.Height)));
    }

    [Fact]
    public void EvaluatorWithoutWebpLeavesItOut()
    {
        string images = Path.Combine(_root, "images");
        Directory.CreateDirectory(images);
        ImageFile.Write(Path.Combine(images, "a.png"), CodecTestData.Image(180, 176, 1));
        using VqCodec codec = VqCodec.Load(CodecTestData.CreateModelDirectory(_root));

        EvaluationReport report = Evaluator.Evaluate(codec, Evaluator.ImageFiles(images));

        Assert.Null(report.Images[0].Webp);
        Assert.False(report.HasWebp);
        Assert.True(double.IsNaN(report.MeanWebpPsnr));
        Assert.InRange(report.MeanMsSsim, 0, 1);
        Assert.InRange(report.MeanJpegMsSsim, 0, 1);
    }
}

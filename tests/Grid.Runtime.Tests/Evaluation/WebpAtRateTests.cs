using Grid.Evaluation;
using Grid.Imaging;
using Grid.Runtime.Tests.Codec;

namespace Grid.Runtime.Tests.Evaluation;

/// <summary>WebP at equal rate through the real cwebp/dwebp (Debian package webp, installed by ./grid setup).</summary>
public sealed class WebpAtRateTests
{
    [Fact]
    public void WebpAtRateNeverExceedsTheBudgetAndUsesItWell()
    {
        RgbImage image = CodecTestData.Image(200, 180, 4);
        int budget;
        double lowQualityPsnr;
        using (var encoder = new WebpEncoder(image))
        {
            budget = encoder.Encode(60).Length;
            lowQualityPsnr = ImageMetrics.Psnr(image, encoder.Decode(encoder.Encode(20)));
        }

        WebpAtRate found = WebpAtRate.Find(image, budget);

        Assert.False(found.OverBudget);
        Assert.InRange(found.Bytes, 1, budget);
        Assert.True(found.Quality >= 60, $"quality {found.Quality}");
        Assert.True(found.Psnr > lowQualityPsnr, $"{found.Psnr} <= {lowQualityPsnr}");
        Assert.Equal((200, 180), (found.Decoded.Width, found.Decoded.Height));
        Assert.Equal(ImageMetrics.Psnr(image, found.Decoded), found.Psnr);
        Assert.Equal(MsSsim.Compute(image, found.Decoded), found.MsSsim);
        Assert.InRange(found.MsSsim, 0.5, 1.0);
    }

    [Fact]
    public void WebpAtRateReportsWhenEvenQualityZeroIsTooBig()
    {
        WebpAtRate found = WebpAtRate.Find(CodecTestData.Image(64, 64), maxBytes: 10);

        Assert.True(found.OverBudget);
        Assert.Equal(0, found.Quality);
        Assert.True(found.Bytes > 10);
        Assert.True(double.IsNaN(found.MsSsim)); // 64x64 is below MS-SSIM's 176 px
    }

    [Fact]
    public void TheEncoderCleansUpItsTemporaryDirectory()
    {
        string directory;
        using (var encoder = new WebpEncoder(CodecTestData.Image(40, 30)))
        {
            directory = encoder.Directory;
            byte[] file = encoder.Encode(75);
            Assert.Equal("RIFF"u8.ToArray(), file[..4]);
            Assert.Equal("WEBP"u8.ToArray(), file[8..12]);
            Assert.Equal(["input.ppm"], Directory.GetFiles(directory).Select(Path.GetFileName));
        }

        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public void AMissingCwebpSaysHowToInstallIt()
    {
        var tools = new WebpTools(Cwebp: "/nonexistent/cwebp");

        WebpException error = Assert.Throws<WebpException>(() => WebpAtRate.Find(CodecTestData.Image(40, 30), 1000, tools));

        Assert.Contains("/nonexistent/cwebp", error.Message, StringComparison.Ordinal);
        Assert.Contains("install webp: ./grid setup", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACorruptWebpFileFailsWithDwebpsMessage()
    {
        using var encoder = new WebpEncoder(CodecTestData.Image(40, 30));
        byte[] file = encoder.Encode(75);

        WebpException error = Assert.Throws<WebpException>(() => encoder.Decode(file[..20]));

        Assert.Contains("dwebp", error.Message, StringComparison.Ordinal);
        Assert.Contains("exit code", error.Message, StringComparison.Ordinal);
    }
}

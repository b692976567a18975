using System.Runtime.CompilerServices;
using Grid.Evaluation;
using Grid.Imaging;
using Grid.Runtime.Tests.Codec;

namespace Grid.Runtime.Tests.Evaluation;

public sealed class MsSsimTests
{
    // A 192x192 natural-looking image and its JPEG (quality 12, 4:2:0) decoded, written by
    // tests/reference/make_msssim_fixture.py.
    private static readonly RgbImage s_original = ImageFile.Read(FixturePath("natural-192.png"));
    private static readonly RgbImage s_jpeg = ImageFile.Read(FixturePath("natural-192-jpeg-q12.png"));

    private static string FixturePath(string name, [CallerFilePath] string sourceFile = "") =>
        Path.Combine(Path.GetDirectoryName(sourceFile)!, "..", "Fixtures", "Evaluation", name);

    [Fact]
    public void IdenticalImagesScoreExactlyOne()
    {
        RgbImage large = CodecTestData.Image(768, 512, 5);

        Assert.Equal(1.0, MsSsim.Compute(s_original, s_original));
        Assert.Equal(1.0, MsSsim.Compute(large, large));
        Assert.Equal(1.0, Ssim.Compute(s_jpeg, s_jpeg));
    }

    [Fact]
    public void SwappingTheImagesGivesTheSameScore()
    {
        Assert.Equal(MsSsim.Compute(s_original, s_jpeg), MsSsim.Compute(s_jpeg, s_original));
        Assert.Equal(Ssim.Compute(s_original, s_jpeg), Ssim.Compute(s_jpeg, s_original));
    }

    [Fact]
    public void SsimMatchesScikitImage()
    {
        // /usr/bin/python3 tests/reference/ssim_skimage.py \
        //     tests/Grid.Grains.Tests/Fixtures/Evaluation/natural-192.png tests/Grid.Grains.Tests/Fixtures/Evaluation/natural-192-jpeg-q12.png
        // prints "ssim 0.79306766" (scikit-image 0.19.3, Debian python3-skimage). skimage crops 5 pixels off every
        // border of its SSIM map, leaving exactly the 'valid' region we average, so only float rounding differs.
        Assert.Equal(0.79306766, Ssim.Compute(s_original, s_jpeg), 1e-5);
    }

    [Fact]
    public void MsSsimMatchesTheNumpyReference()
    {
        // /usr/bin/python3 tests/reference/msssim_reference.py \
        //     tests/Grid.Grains.Tests/Fixtures/Evaluation/natural-192.png tests/Grid.Grains.Tests/Fixtures/Evaluation/natural-192-jpeg-q12.png
        // prints "ms_ssim 0.88353985"; with the trailing arguments "183 179" (top-left 183x179 crops: odd sides,
        // so the zero-padded pooling is exercised) it prints "ms_ssim 0.89610259".
        Assert.Equal(0.88353985, MsSsim.Compute(s_original, s_jpeg), 1e-5);

        RgbImage oddOriginal = s_original.Crop(0, 0, 183, 179);
        RgbImage oddJpeg = s_jpeg.Crop(0, 0, 183, 179);
        Assert.Equal(0.89610259, MsSsim.Compute(oddOriginal, oddJpeg), 1e-5);
    }

    [Fact]
    public void MoreDistortionScoresLower()
    {
        RgbImage mild = Jpeg.Decode(Jpeg.Encode(s_original, 85, JpegSubsampling.S420));

        double mildScore = MsSsim.Compute(s_original, mild);
        double strongScore = MsSsim.Compute(s_original, s_jpeg);

        Assert.InRange(strongScore, 0.5, mildScore);
        Assert.InRange(mildScore, strongScore, 0.9999);
    }

    [Fact]
    public void ImagesBelow176PixelsAreRefusedWithTheMinimum()
    {
        RgbImage narrow = s_original.Crop(0, 0, 175, 192);

        ArgumentException error = Assert.Throws<ArgumentException>(() => MsSsim.Compute(narrow, narrow));

        Assert.Contains("at least 176 px", error.Message, StringComparison.Ordinal);
        Assert.Contains("175x192", error.Message, StringComparison.Ordinal);
        Assert.False(MsSsim.IsDefinedFor(175, 192));
        Assert.True(MsSsim.IsDefinedFor(176, 176));
        Assert.Equal(1.0, MsSsim.Compute(s_original.Crop(0, 0, 176, 176), s_original.Crop(0, 0, 176, 176)));
        Assert.True(double.IsNaN(MsSsim.ComputeOrNaN(narrow, narrow)));
        Assert.Throws<ArgumentException>(() => MsSsim.Compute(s_original, s_original.Crop(0, 0, 191, 192)));
        Assert.Throws<ArgumentException>(() => Ssim.Compute(new RgbImage(10, 40), new RgbImage(10, 40)));
    }
}

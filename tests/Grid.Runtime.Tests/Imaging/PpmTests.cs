using System.Text;
using Grid.Imaging;

namespace Grid.Runtime.Tests.Imaging;

public class PpmTests
{
    [Fact]
    public void RoundTripIsExact()
    {
        RgbImage image = TestImages.Gradient(37, 23, noise: 50);
        byte[] ppm = Ppm.Encode(image);
        Assert.StartsWith("P6\n37 23\n255\n", Encoding.ASCII.GetString(ppm, 0, 13), StringComparison.Ordinal);
        Assert.Equal(13 + image.Pixels.Length, ppm.Length);
        Assert.Equal(image.Pixels, Ppm.Decode(ppm).Pixels);
    }

    [Fact]
    public void HeaderCommentsAndWhitespaceAreAccepted()
    {
        byte[] pixels = [1, 2, 3, 4, 5, 6];
        byte[] ppm = [.. "P6 # made by hand\n  2\t# width\n1\r\n# maxval next\n255\n"u8, .. pixels];
        RgbImage image = Ppm.Decode(ppm);
        Assert.Equal(2, image.Width);
        Assert.Equal(1, image.Height);
        Assert.Equal(pixels, image.Pixels);
    }

    [Fact]
    public void SampleBytesThatLookLikeWhitespaceAreData()
    {
        // The single whitespace after maxval ends the header; the next byte (a space, 0x20) is a sample.
        byte[] ppm = [.. "P6 1 1 255\n"u8, 0x20, 0x0A, 0x23];
        Assert.Equal([0x20, 0x0A, 0x23], Ppm.Decode(ppm).Pixels);
    }

    [Fact]
    public void GrayP5ExpandsToRgb()
    {
        byte[] pgm = [.. "P5\n3 1\n255\n"u8, 10, 128, 250];
        RgbImage image = Ppm.Decode(pgm);
        Assert.Equal([10, 10, 10, 128, 128, 128, 250, 250, 250], image.Pixels);
    }

    [Theory]
    [InlineData("P6\n2 2\n65535\n", ImageError.UnsupportedFormat)]
    [InlineData("P6\n2 2\n15\n", ImageError.UnsupportedFormat)]
    [InlineData("P6\n2 2\n0\n", ImageError.Corrupt)]
    [InlineData("P3\n2 2\n255\n", ImageError.UnsupportedFormat)]
    [InlineData("P6\n0 2\n255\n", ImageError.ZeroSize)]
    [InlineData("P6\n2 0\n255\n", ImageError.ZeroSize)]
    [InlineData("P6\n9000 9000\n255\n", ImageError.TooLarge)]
    [InlineData("P6\n12345678901 2\n255\n", ImageError.Corrupt)]
    [InlineData("P6\nwide 2\n255\n", ImageError.Corrupt)]
    [InlineData("P6\n2x 2\n255\n", ImageError.Corrupt)]
    [InlineData("P6\n2 2", ImageError.Truncated)]
    [InlineData("P6\n2 2\n255", ImageError.Truncated)]
    [InlineData("P6\n2 2\n255\n", ImageError.Truncated)]
    [InlineData("P6\n2 2\n255\n0123456789", ImageError.Truncated)]
    [InlineData("P6 # comment without end", ImageError.Truncated)]
    public void BadHeadersAndDataAreClassified(string text, ImageError expected)
    {
        var exception = Assert.Throws<ImageFormatException>(() => Ppm.Decode(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(expected, exception.Error);
    }

    [Fact]
    public void MaxvalMessageNamesTheValue()
    {
        var exception = Assert.Throws<ImageFormatException>(() => Ppm.Decode("P6\n2 2\n65535\n"u8));
        Assert.Contains("65535", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OversizeHeaderIsRejectedBeforeAllocatingPixels()
    {
        byte[] ppm = [.. "P6\n9000 9000\n255\n"u8, 1, 2, 3];
        long before = GC.GetAllocatedBytesForCurrentThread();
        var exception = Assert.Throws<ImageFormatException>(() => Ppm.Decode(ppm));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(ImageError.TooLarge, exception.Error);
        Assert.Contains("9000x9000 pixels; the limit is 8192x8192", exception.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void FfmpegReadsWhatWeWrite()
    {
        RgbImage image = TestImages.Gradient(21, 13, noise: 40);
        string directory = Directory.CreateTempSubdirectory("grid-ppm-").FullName;
        try
        {
            string ppmPath = Path.Combine(directory, "in.ppm");
            string rawPath = Path.Combine(directory, "out.rgb");
            File.WriteAllBytes(ppmPath, Ppm.Encode(image));
            TestImages.RunTool("ffmpeg", "-v", "error", "-y", "-i", ppmPath, "-f", "rawvideo", "-pix_fmt", "rgb24", rawPath);
            Assert.Equal(image.Pixels, File.ReadAllBytes(rawPath));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

using Grid.Imaging;

namespace Grid.Runtime.Tests.Imaging;

public class PngTests
{
    [Theory]
    [InlineData(1, 1, 6)]
    [InlineData(37, 23, 0)]
    [InlineData(64, 48, 6)]
    [InlineData(129, 67, 9)]
    public void RoundTripIsExact(int width, int height, int level)
    {
        RgbImage image = TestImages.Gradient(width, height, noise: 12, seed: width);
        byte[] png = Png.Encode(image, level);
        Assert.Equal(ImageFileFormat.Png, ImageFile.Detect(png));
        RgbImage decoded = Png.Decode(png);
        Assert.Equal(width, decoded.Width);
        Assert.Equal(height, decoded.Height);
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void HigherCompressionLevelIsNotLarger()
    {
        RgbImage image = TestImages.Smooth(200, 120);
        Assert.True(Png.Encode(image, 9).Length <= Png.Encode(image, 1).Length);
        Assert.True(Png.Encode(image, 0).Length > image.Pixels.Length);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    public void EncodeRejectsInvalidCompressionLevels(int level) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Png.Encode(TestImages.Gradient(4, 4), level));

    // Fixtures written by ffmpeg from testsrc=size=37x23 in each pixel format; the .rgb files are ffmpeg's own
    // decode of the same PNG to rgb24 (alpha dropped, as this reader does).
    [Theory]
    [InlineData("palette-37x23")]
    [InlineData("gray-37x23")]
    [InlineData("gray-alpha-37x23")]
    [InlineData("rgba-37x23")]
    [InlineData("rgb48-37x23")]
    [InlineData("interlaced-37x23")]
    [InlineData("mono-37x23")]
    public void EveryPixelFormatDecodesToRgb8(string name)
    {
        RgbImage decoded = Png.Decode(TestImages.Fixture(name + ".png"));
        Assert.Equal(37, decoded.Width);
        Assert.Equal(23, decoded.Height);
        byte[] expected = TestImages.Fixture(name + ".rgb");

        // 16-bit samples: ffmpeg reduces with >> 8, Skia rounds, so they may differ by one.
        int tolerance = name.StartsWith("rgb48", StringComparison.Ordinal) ? 1 : 0;
        Assert.Equal(expected.Length, decoded.Pixels.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.InRange(decoded.Pixels[i], expected[i] - tolerance, expected[i] + tolerance);
        }
    }

    [Fact]
    public void GrayPngDecodesToEqualChannels()
    {
        RgbImage decoded = Png.Decode(TestImages.Fixture("gray-37x23.png"));
        for (int i = 0; i < decoded.Pixels.Length; i += 3)
        {
            Assert.Equal(decoded.Pixels[i], decoded.Pixels[i + 1]);
            Assert.Equal(decoded.Pixels[i], decoded.Pixels[i + 2]);
        }

        Assert.Contains(decoded.Pixels, value => value is > 30 and < 220);
    }

    [Fact]
    public void OversizeHeaderIsRejectedBeforeAllocatingPixels()
    {
        byte[] png = TestImages.PngHeaderOnly(9000, 9000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var exception = Assert.Throws<ImageFormatException>(() => Png.Decode(png));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(ImageError.TooLarge, exception.Error);
        Assert.Contains("9000x9000 pixels; the limit is 8192x8192", exception.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void CustomLimitsApply()
    {
        byte[] png = Png.Encode(TestImages.Gradient(100, 20));
        var exception = Assert.Throws<ImageFormatException>(() => Png.Decode(png, new ImageLimits(64, 64)));
        Assert.Equal(ImageError.TooLarge, exception.Error);
        Assert.Contains("100x20 pixels; the limit is 64x64", exception.Message, StringComparison.Ordinal);
        Assert.Equal(100, Png.Decode(png, new ImageLimits(100, 20)).Width);
    }

    [Theory]
    [InlineData(0u, 10u)]
    [InlineData(10u, 0u)]
    public void ZeroSizeHeaderIsReported(uint width, uint height)
    {
        var exception = Assert.Throws<ImageFormatException>(() => Png.Decode(TestImages.PngHeaderOnly(width, height)));
        Assert.Equal(ImageError.ZeroSize, exception.Error);
        Assert.Contains($"{width}x{height}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyDataIsReported() =>
        Assert.Equal(ImageError.Empty, Assert.Throws<ImageFormatException>(() => Png.Decode([])).Error);

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(20)]
    [InlineData(33)]
    [InlineData(60)]
    [InlineData(-200)]
    [InlineData(-13)]
    public void TruncatedDataIsReported(int cut)
    {
        byte[] png = Png.Encode(TestImages.Gradient(64, 48, noise: 30));
        int length = cut > 0 ? cut : png.Length + cut;
        var exception = Assert.Throws<ImageFormatException>(() => Png.Decode(png.AsSpan(0, length)));
        Assert.Equal(ImageError.Truncated, exception.Error);
        Assert.Contains("truncated", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptImageDataIsReportedWithTheChunkThatFailsItsCrc()
    {
        byte[] png = Png.Encode(TestImages.Gradient(64, 48, noise: 30));
        png[60] ^= 0xFF; // inside the first IDAT: its CRC no longer matches
        var exception = Assert.Throws<ImageFormatException>(() => Png.Decode(png));
        Assert.Equal(ImageError.Corrupt, exception.Error);
        Assert.Matches("chunk IDAT at offset [0-9]+ fails its CRC", exception.Message);
    }

    [Fact]
    public void CorruptHeaderCrcIsReported()
    {
        byte[] png = TestImages.PngHeaderOnly(16, 16);
        png[29] ^= 0x01;
        var exception = Assert.Throws<ImageFormatException>(() => Png.Decode(png));
        Assert.Equal(ImageError.Corrupt, exception.Error);
    }
}

using Grid.Imaging;

namespace Grid.Runtime.Tests.Imaging;

public class JpegTests
{
    [Theory]
    [InlineData(JpegSubsampling.S420)]
    [InlineData(JpegSubsampling.S422)]
    [InlineData(JpegSubsampling.S444)]
    public void Quality95RoundTripOfASmoothImageIsAbove35Db(JpegSubsampling subsampling)
    {
        RgbImage image = TestImages.Smooth(160, 120);
        byte[] jpeg = Jpeg.Encode(image, 95, subsampling);
        Assert.Equal(ImageFileFormat.Jpeg, ImageFile.Detect(jpeg));
        RgbImage decoded = Jpeg.Decode(jpeg);
        Assert.Equal(160, decoded.Width);
        Assert.Equal(120, decoded.Height);
        double psnr = TestImages.Psnr(image, decoded);
        Assert.True(psnr > 35, $"PSNR {psnr:F2} dB");
    }

    [Fact]
    public void OddSizesRoundTrip()
    {
        RgbImage image = TestImages.Smooth(37, 23);
        RgbImage decoded = Jpeg.Decode(Jpeg.Encode(image, 95));
        Assert.Equal(37, decoded.Width);
        Assert.Equal(23, decoded.Height);
        Assert.True(TestImages.Psnr(image, decoded) > 30);
    }

    [Fact]
    public void EncodeReturnsExactlyTheFileBytes()
    {
        byte[] jpeg = Jpeg.Encode(TestImages.Smooth(64, 64), 80);
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        Assert.Equal([0xFF, 0xD9], jpeg[^2..]);
    }

    [Fact]
    public void LowerQualityGivesFewerBytes()
    {
        RgbImage image = TestImages.Gradient(128, 96, noise: 10);
        Assert.True(Jpeg.Encode(image, 30).Length < Jpeg.Encode(image, 90).Length);
        Assert.True(Jpeg.Encode(image, 90, JpegSubsampling.S420).Length < Jpeg.Encode(image, 90, JpegSubsampling.S444).Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void EncodeRejectsInvalidQuality(int quality) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Jpeg.Encode(TestImages.Gradient(8, 8), quality));

    [Fact]
    public void GrayJpegDecodesToRgbWithEqualChannels()
    {
        RgbImage image = TestImages.Gradient(48, 40, noise: 4);
        RgbImage decoded = Jpeg.Decode(Jpeg.Encode(image, 90, JpegSubsampling.Gray));
        Assert.Equal(48, decoded.Width);
        for (int i = 0; i < decoded.Pixels.Length; i += 3)
        {
            Assert.Equal(decoded.Pixels[i], decoded.Pixels[i + 1]);
            Assert.Equal(decoded.Pixels[i], decoded.Pixels[i + 2]);
        }

        // Luma of the gradient, so neither flat nor saturated.
        Assert.InRange(decoded.Pixels.Average(value => (double)value), 60, 200);
    }

    [Fact]
    public void OversizeFrameHeaderIsRejectedBeforeAllocatingPixels()
    {
        byte[] jpeg = Jpeg.Encode(TestImages.Smooth(16, 16), 90);
        int sof = TestImages.FindStartOfFrame(jpeg);
        SetFrameSize(jpeg, sof, width: 9000, height: 9000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var exception = Assert.Throws<ImageFormatException>(() => Jpeg.Decode(jpeg));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(ImageError.TooLarge, exception.Error);
        Assert.Contains("9000x9000 pixels; the limit is 8192x8192", exception.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void WideFrameHeaderIsTooLargeWithBothSidesInTheMessage()
    {
        byte[] jpeg = Jpeg.Encode(TestImages.Smooth(16, 16), 90);
        SetFrameSize(jpeg, TestImages.FindStartOfFrame(jpeg), width: 9000, height: 100);
        var exception = Assert.Throws<ImageFormatException>(() => Jpeg.Decode(jpeg));
        Assert.Equal(ImageError.TooLarge, exception.Error);
        Assert.Contains("image is 9000x100 pixels; the limit is 8192x8192", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 16)]
    [InlineData(16, 0)]
    public void ZeroSizeFrameHeaderIsReported(int width, int height)
    {
        byte[] jpeg = Jpeg.Encode(TestImages.Smooth(16, 16), 90);
        SetFrameSize(jpeg, TestImages.FindStartOfFrame(jpeg), width, height);
        var exception = Assert.Throws<ImageFormatException>(() => Jpeg.Decode(jpeg));
        Assert.Equal(ImageError.ZeroSize, exception.Error);
    }

    [Fact]
    public void TwelveBitPrecisionIsUnsupported()
    {
        byte[] jpeg = Jpeg.Encode(TestImages.Smooth(16, 16), 90);
        jpeg[TestImages.FindStartOfFrame(jpeg) + 4] = 12;
        Assert.Equal(ImageError.UnsupportedFormat, Assert.Throws<ImageFormatException>(() => Jpeg.Decode(jpeg)).Error);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(300)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(-2)]
    public void TruncatedDataIsReportedNotReturnedAsAGreyImage(double cut)
    {
        byte[] jpeg = Jpeg.Encode(TestImages.Gradient(96, 64, noise: 25), 90);
        int length = cut switch
        {
            < 0 => jpeg.Length + (int)cut,
            < 1 => (int)(jpeg.Length * cut),
            _ => (int)cut,
        };
        var exception = Assert.Throws<ImageFormatException>(() => Jpeg.Decode(jpeg.AsSpan(0, length)));
        Assert.Equal(ImageError.Truncated, exception.Error);
        Assert.Contains("truncated", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptEntropyDataIsReportedWithLibjpegsMessage()
    {
        byte[] jpeg = Jpeg.Encode(TestImages.Gradient(96, 64, noise: 25), 90);
        // A marker (FF D3 = RST3) in the middle of the entropy-coded data.
        int middle = jpeg.Length / 2;
        jpeg[middle] = 0xFF;
        jpeg[middle + 1] = 0xD3;
        var exception = Assert.Throws<ImageFormatException>(() => Jpeg.Decode(jpeg));
        Assert.Equal(ImageError.Corrupt, exception.Error);
        Assert.Contains("libjpeg", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyDataIsReported() =>
        Assert.Equal(ImageError.Empty, Assert.Throws<ImageFormatException>(() => Jpeg.Decode([])).Error);

    private static void SetFrameSize(byte[] jpeg, int sof, int width, int height)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), (ushort)height);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), (ushort)width);
    }
}

using System.Buffers.Binary;
using Grid.Imaging;

namespace Grid.Runtime.Tests.Imaging;

/// <summary><see cref="ImageFile.Probe"/>: format and declared size from the header, no pixels decoded.</summary>
public class ImageProbeTests
{
    public static TheoryData<ImageFileFormat> Formats => [ImageFileFormat.Png, ImageFileFormat.Jpeg, ImageFileFormat.Ppm];

    [Theory]
    [MemberData(nameof(Formats))]
    public void ProbeReadsFormatAndSize(ImageFileFormat format)
    {
        byte[] file = ImageFile.Encode(TestImages.Gradient(37, 23, noise: 5), format);

        ImageHeader header = ImageFile.Probe(file);

        Assert.Equal(new ImageHeader(format, 37, 23), header);
        Assert.Equal(37 * 23, header.Pixels);
    }

    [Fact]
    public void GrayJpegAndPgmProbeToo()
    {
        Assert.Equal(new ImageHeader(ImageFileFormat.Jpeg, 48, 40), ImageFile.Probe(Jpeg.Encode(TestImages.Gradient(48, 40), 90, JpegSubsampling.Gray)));
        Assert.Equal(new ImageHeader(ImageFileFormat.Ppm, 3, 2), ImageFile.Probe("P5\n3 2\n255\n\0\0\0\0\0\0"u8));
    }

    [Fact]
    public void ForgedHugeJpegIsProbedWithoutAllocatingItsPixels()
    {
        byte[] jpeg = Jpeg.Encode(TestImages.Smooth(16, 16), 90);
        int sof = TestImages.FindStartOfFrame(jpeg);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), 60000);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), 50000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        ImageHeader header = ImageFile.Probe(jpeg);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal((50000L, 60000L), (header.Width, header.Height));
        Assert.True(allocated < 64 << 10, $"allocated {allocated} bytes");
    }

    [Fact]
    public void ForgedHugePngIsProbedWithoutAllocatingItsPixels()
    {
        byte[] png = Png.Encode(TestImages.Smooth(16, 16));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), 100000);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), 90000);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), TestImages.Crc32(png.AsSpan(12, 17)));

        long before = GC.GetAllocatedBytesForCurrentThread();
        ImageHeader header = ImageFile.Probe(png);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal((100000L, 90000L), (header.Width, header.Height));
        Assert.True(allocated < 64 << 10, $"allocated {allocated} bytes");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void ACutHeaderIsAnImageFormatException(ImageFileFormat format)
    {
        byte[] file = ImageFile.Encode(TestImages.Gradient(37, 23), format);

        var exception = Assert.Throws<ImageFormatException>(() => ImageFile.Probe(file.AsSpan(0, 5)));

        Assert.True(exception.Error is ImageError.Truncated or ImageError.Corrupt, exception.ToString());
    }

    [Fact]
    public void EmptyAndUnknownDataAreRefused()
    {
        Assert.Equal(ImageError.Empty, Assert.Throws<ImageFormatException>(() => ImageFile.Probe([])).Error);
        Assert.Equal(ImageError.UnsupportedFormat, Assert.Throws<ImageFormatException>(() => ImageFile.Probe("GIF89a.."u8)).Error);
    }

    [Fact]
    public void ZeroSizedPpmIsRefused() =>
        Assert.Equal(ImageError.ZeroSize, Assert.Throws<ImageFormatException>(() => ImageFile.Probe("P6\n0 5\n255\n"u8)).Error);
}

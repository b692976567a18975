using Grid.Imaging;

namespace Grid.Runtime.Tests.Imaging;

public sealed class ImageFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("grid-imagefile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, ImageFileFormat.Png)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, ImageFileFormat.Jpeg)]
    [InlineData(new byte[] { (byte)'P', (byte)'6', (byte)'\n' }, ImageFileFormat.Ppm)]
    [InlineData(new byte[] { (byte)'P', (byte)'5', (byte)' ' }, ImageFileFormat.Ppm)]
    [InlineData(new byte[] { (byte)'P', (byte)'6' }, ImageFileFormat.Ppm)]
    public void DetectRecognisesMagicBytes(byte[] data, ImageFileFormat expected) =>
        Assert.Equal(expected, ImageFile.Detect(data));

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x89, 0x50 })]
    [InlineData(new byte[] { 0xFF, 0xD8, 0x00 })]
    [InlineData(new byte[] { (byte)'P', (byte)'3', (byte)'\n' })]
    [InlineData(new byte[] { (byte)'P', (byte)'6', (byte)'x' })]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a' })]
    public void DetectReturnsNullForAnythingElse(byte[] data) => Assert.Null(ImageFile.Detect(data));

    [Theory]
    [InlineData(ImageFileFormat.Png)]
    [InlineData(ImageFileFormat.Jpeg)]
    [InlineData(ImageFileFormat.Ppm)]
    public void DecodeDispatchesOnMagicBytes(ImageFileFormat format)
    {
        RgbImage image = TestImages.Smooth(40, 30);
        RgbImage decoded = ImageFile.Decode(ImageFile.Encode(image, format, jpegQuality: 95));
        Assert.Equal(40, decoded.Width);
        Assert.Equal(30, decoded.Height);
        Assert.True(TestImages.Psnr(image, decoded) > 35);
    }

    [Fact]
    public void UnknownMagicIsUnsupportedAndNamesTheFirstBytesInHex()
    {
        var exception = Assert.Throws<ImageFormatException>(() => ImageFile.Decode("GIF89a\x01\x00\x01\x00"u8));
        Assert.Equal(ImageError.UnsupportedFormat, exception.Error);
        Assert.Contains("47 49 46 38 39 61 01 00", exception.Message, StringComparison.Ordinal);
        Assert.Contains("GIF89a", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyDataIsEmpty() =>
        Assert.Equal(ImageError.Empty, Assert.Throws<ImageFormatException>(() => ImageFile.Decode([])).Error);

    [Theory]
    [InlineData("a.png", ImageFileFormat.Png)]
    [InlineData("dir.x/A.PNG", ImageFileFormat.Png)]
    [InlineData("b.jpg", ImageFileFormat.Jpeg)]
    [InlineData("b.JPEG", ImageFileFormat.Jpeg)]
    [InlineData("/tmp/c.ppm", ImageFileFormat.Ppm)]
    public void FormatFromExtensionIsCaseInsensitive(string path, ImageFileFormat expected) =>
        Assert.Equal(expected, ImageFile.FormatFromExtension(path));

    [Theory]
    [InlineData("a.gif")]
    [InlineData("noextension")]
    [InlineData("a.png.bak")]
    public void UnknownExtensionIsAnArgumentException(string path)
    {
        var exception = Assert.Throws<ArgumentException>(() => ImageFile.FormatFromExtension(path));
        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x.png")]
    [InlineData("x.ppm")]
    public void WriteThenReadIsExactForLosslessFormats(string name)
    {
        string path = Path.Combine(_directory, name);
        RgbImage image = TestImages.Gradient(33, 17, noise: 20);
        ImageFile.Write(path, image);
        Assert.Equal(image.Pixels, ImageFile.Read(path).Pixels);
    }

    [Fact]
    public void WriteJpegUsesTheQuality()
    {
        RgbImage image = TestImages.Gradient(64, 64, noise: 20);
        string low = Path.Combine(_directory, "low.jpg");
        string high = Path.Combine(_directory, "high.jpeg");
        ImageFile.Write(low, image, jpegQuality: 20);
        ImageFile.Write(high, image, jpegQuality: 95);
        Assert.True(new FileInfo(low).Length < new FileInfo(high).Length);
        Assert.Equal(64, ImageFile.Read(high).Width);
    }

    [Fact]
    public void WriteToUnknownExtensionThrowsBeforeCreatingTheFile()
    {
        string path = Path.Combine(_directory, "x.bmp");
        Assert.Throws<ArgumentException>(() => ImageFile.Write(path, TestImages.Gradient(2, 2)));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void ReadingAMissingFileIsAnIOExceptionNamingThePath()
    {
        string path = Path.Combine(_directory, "missing.png");
        var exception = Assert.ThrowsAny<IOException>(() => ImageFile.Read(path));
        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadingADirectoryIsAnIOExceptionNamingThePath()
    {
        var exception = Assert.ThrowsAny<IOException>(() => ImageFile.Read(_directory));
        Assert.Contains(_directory, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadingACorruptFileNamesThePathAndKeepsTheError()
    {
        string path = Path.Combine(_directory, "cut.jpg");
        File.WriteAllBytes(path, Jpeg.Encode(TestImages.Smooth(64, 64))[..200]);
        var exception = Assert.Throws<ImageFormatException>(() => ImageFile.Read(path));
        Assert.Equal(ImageError.Truncated, exception.Error);
        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAppliesLimits()
    {
        string path = Path.Combine(_directory, "wide.png");
        ImageFile.Write(path, TestImages.Gradient(300, 10));
        var exception = Assert.Throws<ImageFormatException>(() => ImageFile.Read(path, new ImageLimits(MaxWidth: 256)));
        Assert.Equal(ImageError.TooLarge, exception.Error);
    }

    [Fact]
    public void LimitsMustBePositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageLimits(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageLimits(10, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageLimits.Default with { MaxHeight = 0 });
        Assert.Equal(new ImageLimits(100, 8192), ImageLimits.Default with { MaxWidth = 100 });
        Assert.Equal(8192, ImageLimits.Default.MaxWidth);
        Assert.Equal(8192, ImageLimits.Default.MaxHeight);
    }
}

using Grid.Imaging;

namespace Grid.Runtime.Tests.Imaging;

/// <summary>
/// Damaged and cut files of every format must end in an <see cref="ImageFormatException"/> (or a valid image when
/// the damage happens to be harmless), never in a crash, a hang or another exception type.
/// </summary>
public class HostileInputTests
{
    public static TheoryData<ImageFileFormat> Formats => [ImageFileFormat.Png, ImageFileFormat.Jpeg, ImageFileFormat.Ppm];

    [Theory]
    [MemberData(nameof(Formats))]
    public void EveryPrefixFailsCleanly(ImageFileFormat format)
    {
        byte[] file = ImageFile.Encode(TestImages.Gradient(40, 24, noise: 30), format);
        int step = Math.Max(1, file.Length / 150);
        for (int length = 1; length < file.Length; length += step)
        {
            // Even a PNG cut only inside IEND's CRC is refused: the chunk walk reads every chunk to the end.
            AssertDecodesOrFailsCleanly(file.AsSpan(0, length), expectFailure: true);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void RandomByteCorruptionFailsCleanly(ImageFileFormat format)
    {
        byte[] original = ImageFile.Encode(TestImages.Gradient(40, 24, noise: 30), format);
        var random = new Random(12345);
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] damaged = (byte[])original.Clone();
            int changes = random.Next(1, 6);
            for (int i = 0; i < changes; i++)
            {
                // Keep the magic bytes so the format's own decoder sees the damage.
                damaged[random.Next(4, damaged.Length)] = (byte)random.Next(256);
            }

            AssertDecodesOrFailsCleanly(damaged, expectFailure: false);
        }
    }

    [Fact]
    public void RandomGarbageBehindEachMagicFailsCleanly()
    {
        var random = new Random(99);
        byte[][] magics = [[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], [0xFF, 0xD8, 0xFF], "P6 "u8.ToArray(), "P5\n"u8.ToArray()];
        foreach (byte[] magic in magics)
        {
            for (int trial = 0; trial < 200; trial++)
            {
                byte[] data = new byte[magic.Length + random.Next(0, 400)];
                random.NextBytes(data);
                magic.CopyTo(data, 0);
                AssertDecodesOrFailsCleanly(data, expectFailure: false);
            }
        }
    }

    private static void AssertDecodesOrFailsCleanly(ReadOnlySpan<byte> data, bool expectFailure)
    {
        RgbImage? image = null;
        ImageFormatException? failure = null;
        try
        {
            image = ImageFile.Decode(data);
        }
        catch (ImageFormatException exception)
        {
            failure = exception;
        }

        if (expectFailure)
        {
            Assert.True(failure is not null, $"a {data.Length}-byte prefix decoded without error");
        }

        if (failure is not null)
        {
            Assert.False(string.IsNullOrWhiteSpace(failure.Message));
        }
        else
        {
            Assert.NotNull(image);
            Assert.Equal(image.Width * image.Height * 3, image.Pixels.Length);
        }
    }
}

using System.Diagnostics;
using Grid.Imaging;
using Xunit.Abstractions;

namespace Grid.Runtime.Tests.Imaging;

/// <summary>
/// Decode/encode times for one 768x512 frame, printed to the test output. The image is generated (smooth
/// photo-like content with sensor-like noise) unless GRID_SPEED_PHOTO names a real photo (any format; cropped to
/// 768x512). The bound is loose on purpose: it catches a codec path gone badly wrong (a per-pixel managed loop,
/// a copy per row), not ordinary noise on a shared machine. See the numbers with
/// <c>dotnet test tests/Grid.Runtime.Tests -c Release --filter Category=Speed --logger "console;verbosity=detailed"</c>.
/// </summary>
[Trait("Category", "Speed")]
public sealed class ImageCodecSpeedTests(ITestOutputHelper output)
{
    private const int Width = 768;
    private const int Height = 512;

    [Fact]
    public void FrameDecodeAndEncodeTimes()
    {
        RgbImage photo = LoadPhoto(out string source);
        output.WriteLine($"image: {source}, {Width}x{Height}");
        byte[] jpeg = Jpeg.Encode(photo, 90);
        byte[] png = Png.Encode(photo);

        double jpegDecode = Measure("JPEG decode (q90 4:2:0)", () => Jpeg.Decode(jpeg), jpeg.Length);
        Measure("JPEG encode q90 4:2:0", () => Jpeg.Encode(photo, 90));
        Measure("JPEG encode q95 4:4:4", () => Jpeg.Encode(photo, 95, JpegSubsampling.S444));
        double pngDecode = Measure("PNG decode (level 6)", () => Png.Decode(png), png.Length);
        Measure("PNG encode level 1", () => Png.Encode(photo, 1), iterations: 10);
        Measure("PNG encode level 6", () => Png.Encode(photo, 6), iterations: 10);
        byte[] ppm = Ppm.Encode(photo);
        Measure("PPM decode", () => Ppm.Decode(ppm), ppm.Length);

        Assert.True(jpegDecode < 100, $"JPEG decode median {jpegDecode:F1} ms");
        Assert.True(pngDecode < 250, $"PNG decode median {pngDecode:F1} ms");
    }

    private static RgbImage LoadPhoto(out string source)
    {
        string? path = Environment.GetEnvironmentVariable("GRID_SPEED_PHOTO");
        if (string.IsNullOrEmpty(path))
        {
            source = "generated (smooth + noise)";
            return TestImages.Smooth(Width, Height, noise: 6);
        }

        source = path;
        RgbImage image = ImageFile.Read(path);
        return image.PadTo(Math.Max(Width, image.Width), Math.Max(Height, image.Height)).Crop(0, 0, Width, Height);
    }

    /// <summary>Runs <paramref name="action"/> after a warm-up and prints the median and minimum; returns the median in ms.</summary>
    private double Measure(string name, Func<object> action, int inputBytes = 0, int iterations = 40)
    {
        for (int i = 0; i < 3; i++)
        {
            action();
        }

        var times = new double[iterations];
        object result = null!;
        for (int i = 0; i < iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            result = action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        double median = times[iterations / 2];
        int bytes = result is byte[] encoded ? encoded.Length : inputBytes;
        output.WriteLine($"{name,-24} median {median,7:F2} ms  min {times[0],7:F2} ms  {bytes,8} B  {bytes * 8.0 / (Width * Height),6:F3} bpp");
        return median;
    }
}

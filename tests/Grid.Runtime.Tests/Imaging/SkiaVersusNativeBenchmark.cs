using System.Diagnostics;
using Grid.Imaging;
using Grid.Imaging.Skia;
using Xunit.Abstractions;

namespace Grid.Runtime.Tests.Imaging;

/// <summary>
/// SkiaSharp's JPEG codec against the TurboJPEG interop, side by side in one run on one 768x512 frame
/// (GRID_SPEED_PHOTO=path for a real photo). Prints medians and the ratio Skia / TurboJPEG (below 1: Skia is faster),
/// then the PNG times (PNG is SkiaSharp's since libspng was removed; the libspng comparison, measured while both were in
/// the tree, is in docs/imaging.md) and the header probe.
/// <c>dotnet test tests/Grid.Runtime.Tests -c Release --filter Category=Benchmark --logger "console;verbosity=detailed"</c>
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class SkiaVersusNativeBenchmark(ITestOutputHelper output)
{
    private const int Width = 768;
    private const int Height = 512;
    private const int Rounds = 30;

    [Fact]
    public void DecodeAndEncodeTimesSideBySide()
    {
        RgbImage photo = LoadPhoto(out string source);
        output.WriteLine($"image: {source}, {Width}x{Height}; median of {Rounds} interleaved rounds");
        byte[] png = Png.Encode(photo);
        byte[] jpeg = Jpeg.Encode(photo, 90);
        var limits = ImageLimits.Default;

        Compare("JPEG decode q90 4:2:0", () => Jpeg.Decode(jpeg), () => SkiaCodec.Decode(jpeg, "JPEG", limits));
        Compare("JPEG encode q90 4:2:0", () => Jpeg.Encode(photo, 90), () => SkiaCodec.EncodeJpeg(photo, 90, JpegSubsampling.S420));
        Compare("JPEG encode q95 4:4:4", () => Jpeg.Encode(photo, 95, JpegSubsampling.S444), () => SkiaCodec.EncodeJpeg(photo, 95, JpegSubsampling.S444));

        output.WriteLine($"PNG (Skia) decode {Median(() => Png.Decode(png)),7:F2} ms  encode level 6 {Median(() => Png.Encode(photo, 6)),7:F2} ms  level 1 {Median(() => Png.Encode(photo, 1)),7:F2} ms");
        double probePng = Median(() => ImageFile.Probe(png));
        double probeJpeg = Median(() => ImageFile.Probe(jpeg));
        output.WriteLine($"header probe (SKCodec)   PNG {probePng * 1000,6:F1} us  JPEG {probeJpeg * 1000,6:F1} us");

        // Both JPEG decoders read the other's files to nearly the same picture.
        Assert.True(TestImages.Psnr(Jpeg.Decode(jpeg), SkiaCodec.Decode(jpeg, "JPEG", limits)) > 40);
        Assert.True(TestImages.Psnr(photo, Jpeg.Decode(SkiaCodec.EncodeJpeg(photo, 90, JpegSubsampling.S420))) > 30);
        Assert.Equal(photo.Pixels, Png.Decode(png).Pixels);
    }

    private void Compare(string name, Func<object> ours, Func<object> skia)
    {
        for (int i = 0; i < 3; i++)
        {
            ours();
            skia();
        }

        var oursTimes = new double[Rounds];
        var skiaTimes = new double[Rounds];
        object oursResult = null!, skiaResult = null!;
        for (int i = 0; i < Rounds; i++)
        {
            long start = Stopwatch.GetTimestamp();
            oursResult = ours();
            oursTimes[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            start = Stopwatch.GetTimestamp();
            skiaResult = skia();
            skiaTimes[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(oursTimes);
        Array.Sort(skiaTimes);
        double o = oursTimes[Rounds / 2], s = skiaTimes[Rounds / 2];
        string sizes = oursResult is byte[] a && skiaResult is byte[] b ? $"  bytes {a.Length} vs {b.Length}" : string.Empty;
        output.WriteLine($"{name,-24} turbojpeg {o,7:F2} ms  skia {s,7:F2} ms  skia/turbojpeg {s / o,5:F2}{sizes}");
    }

    private static double Median(Func<object> action)
    {
        var times = new double[Rounds];
        for (int i = 0; i < Rounds; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return times[Rounds / 2];
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
}

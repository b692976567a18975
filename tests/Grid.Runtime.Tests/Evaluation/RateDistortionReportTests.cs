using System.Text.RegularExpressions;
using Grid.Codec;
using Grid.Evaluation;
using Grid.Imaging;
using Grid.Runtime.Tests.Codec;

namespace Grid.Runtime.Tests.Evaluation;

public sealed partial class RateDistortionReportTests : IDisposable
{
    private readonly string _root = CodecTestData.TempDirectory();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [GeneratedRegex("""<img src="([^"]*)" width="(\d+)" height="(\d+)" alt="([^"]*)">""")]
    private static partial Regex ImageTag();

    [Fact]
    public void TheReportIsSelfContainedWithCropsAndEscapedNames()
    {
        string images = Path.Combine(_root, "images");
        Directory.CreateDirectory(images);
        ImageFile.Write(Path.Combine(images, "a&b <x>.png"), CodecTestData.Image(300, 260, 1));
        ImageFile.Write(Path.Combine(images, "small.png"), CodecTestData.Image(120, 100, 2));
        using VqCodec codec = VqCodec.Load(CodecTestData.CreateModelDirectory(_root, version: 7));
        string output = Path.Combine(_root, "report");
        var provenance = new ReportProvenance(images, "grid eval --data '<dir>'", new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

        EvaluationReport report = RateDistortionReport.Write(output, codec, Evaluator.ImageFiles(images), provenance);

        string html = File.ReadAllText(Path.Combine(output, "index.html"));
        Assert.Equal(2, report.Images.Count);
        Assert.Contains("a&amp;b &lt;x&gt;.png", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<x>", html, StringComparison.Ordinal);
        Assert.Contains("grid eval --data &#39;&lt;dir&gt;&#39;", html, StringComparison.Ordinal);
        Assert.Contains("2026-11-23 12:00:00 UTC", html, StringComparison.Ordinal);
        Assert.Contains("version 7", html, StringComparison.Ordinal);
        Assert.Contains(Grid.Contracts.Frames.VqfFormat.FormatFingerprint(codec.Fingerprint), html, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(html, "<tr class=\"image-row\">"));
        Assert.Single(Regex.Matches(html, "<tr class=\"mean-row\">"));
        Assert.DoesNotContain("http:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);

        MatchCollection tags = ImageTag().Matches(html);
        Assert.Equal(8, tags.Count); // original | Grid | JPEG | WebP for each image
        Assert.Equal(["original", "Grid", "JPEG", "WebP", "original", "Grid", "JPEG", "WebP"], tags.Select(t => t.Groups[4].Value));
        foreach (Match tag in tags)
        {
            string source = tag.Groups[1].Value;
            Assert.StartsWith("crops/", source, StringComparison.Ordinal);
            RgbImage crop = ImageFile.Read(Path.Combine(output, source));
            Assert.Equal((int.Parse(tag.Groups[2].Value), int.Parse(tag.Groups[3].Value)), (crop.Width, crop.Height));
        }
        Assert.Equal("256x256", Size(tags[0]));  // centre crop of 300x260
        Assert.Equal("120x100", Size(tags[4]));  // smaller than a crop: the whole image
        RgbImage original = ImageFile.Read(Path.Combine(images, "a&b <x>.png"));
        Assert.Equal(original.Crop(22, 2, 256, 256).Pixels, ImageFile.Read(Path.Combine(output, tags[0].Groups[1].Value)).Pixels);
        Assert.Contains("centre 256&times;256 crop at (22, 2)", html, StringComparison.Ordinal);
    }

    private static string Size(Match tag) => $"{tag.Groups[2].Value}x{tag.Groups[3].Value}";

    [Fact]
    public void CropsAreCentredOrWhole()
    {
        Assert.Equal((256, 128, 256, 256), RateDistortionReport.CropFor(768, 512));
        Assert.Equal((0, 0, 100, 80), RateDistortionReport.CropFor(100, 80));
        Assert.Equal((22, 0, 256, 200), RateDistortionReport.CropFor(300, 200));
    }
}

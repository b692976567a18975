using System.Text.RegularExpressions;
using System.Xml.Linq;
using Grid.Codec;
using Grid.Contracts.Frames;
using Grid.Evaluation;
using Grid.Imaging;
using Grid.Runtime.Tests.Codec;
using Grid.TestSupport;

namespace Grid.Runtime.Tests.Evaluation;

/// <summary><c>grid eval --curve</c> on crops of real held-out images: Grid's quality levels, JPEG and WebP at each frame's size, and the plot page.</summary>
[Collection(Grid.Runtime.Tests.Native.InferenceOptionsCollection.Name)]
public sealed partial class RateCurvePlotTests : IDisposable
{
    private readonly string _root = CodecTestData.TempDirectory();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void TheCurvesOfRealImagesArePlottedAsOneChartForTheMeanAndOnePerImage()
    {
        using VqCodec codec = VqCodec.Load(CodecTestData.CreateModelDirectory(_root, version: 2));
        ImageCurve[] curves =
        [
            RateCurve.Measure(codec, "baboon <crop>", Crop("baboon.png"), webp: true),
            RateCurve.Measure(codec, "cards", Crop("cards.png"), webp: true),
        ];
        string page = Path.Combine(_root, "plots", "curves.html");

        RateCurvePlot.Write(page, curves, new ReportProvenance("data/images/val", "grid eval --curve", DateTimeOffset.UnixEpoch), "tiny model");

        foreach (ImageCurve curve in curves)
        {
            Assert.Equal(FrameQualities.All, curve.Levels.Select(l => l.Quality));
            Assert.Equal([0.5, 1, 1.5, 2], curve.Grid.Select(p => p.Setting));
            Assert.True(curve.Grid.Zip(curve.Grid.Skip(1)).All(pair => pair.First.Bytes < pair.Second.Bytes), "each level spends more bytes than the one below");
            Assert.All(curve.Levels, l => Assert.True(l.Jpeg.Bytes <= l.Grid.Bytes || l.Jpeg.OverBudget, $"JPEG {l.Jpeg.Bytes} bytes for Grid's {l.Grid.Bytes}"));
            Assert.All(curve.Levels, l => Assert.True(l.Webp!.Bytes <= l.Grid.Bytes || l.Webp.OverBudget, $"WebP {l.Webp.Bytes} bytes for Grid's {l.Grid.Bytes}"));
        }

        string html = File.ReadAllText(page);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("baboon &lt;crop&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("baboon <crop>", html, StringComparison.Ordinal);
        Assert.Equal(["low (x0.5)", "standard (x1)", "high (x1.5)", "max (x2)"], LevelRow().Matches(html).Select(m => m.Groups[1].Value));
        XElement[] charts = [.. Svg().Matches(html).Select(m => XElement.Parse(m.Value))];
        Assert.Equal(1 + curves.Length, charts.Length);
        XNamespace svg = "http://www.w3.org/2000/svg";
        foreach (XElement chart in charts)
        {
            XElement[] series = [.. chart.Elements(svg + "g").Where(g => (string?)g.Attribute("class") == "series")];
            Assert.Equal(["JPEG", "JPEG at Grid's size", "WebP", "WebP at Grid's size", "Grid"], series.Select(g => (string)g.Attribute("data-name")!));
            XElement grid = series[^1];
            Assert.Equal(4, ((string)grid.Element(svg + "polyline")!.Attribute("points")!).Split(' ').Length);
            Assert.Equal(4 + 1, grid.Elements(svg + "circle").Count()); // the levels and the legend's marker
            Assert.Equal(RateCurve.JpegQualities.Length, ((string)series[0].Element(svg + "polyline")!.Attribute("points")!).Split(' ').Length);
            Assert.Null(series[1].Element(svg + "polyline")); // JPEG at Grid's size: markers only
        }
    }

    private static RgbImage Crop(string name)
    {
        RgbImage image = ImageFile.Read(TestPaths.InRepo("data", "images", "val", name));
        return image.Crop((image.Width - 64) / 2, (image.Height - 48) / 2, 64, 48);
    }

    [GeneratedRegex("<tr><td>([a-z]+ \\(x[0-9.]+\\))</td>")]
    private static partial Regex LevelRow();

    [GeneratedRegex("<svg .*?</svg>", RegexOptions.Singleline)]
    private static partial Regex Svg();
}

using System.Globalization;
using System.Net;
using System.Text;
using Grid.Contracts.Frames;

namespace Grid.Evaluation;

/// <summary>
/// The page <c>grid eval --curve --plot FILE.html</c> writes: rate (bpp, log scale) against PSNR as inline SVG charts,
/// Grid's quality levels against JPEG's and WebP's curves, on the mean over the images and per image, with hollow
/// markers for JPEG and WebP at each Grid frame's own rate, and the per-level table. One self-contained file: inline
/// CSS and SVG, no script, no external resources.
/// </summary>
public static class RateCurvePlot
{
    private const int Width = 560;
    private const int Height = 360;
    private const int SmallWidth = 360;
    private const int SmallHeight = 240;
    private const string GridColour = "#d62728";
    private const string JpegColour = "#1f77b4";
    private const string WebpColour = "#2ca02c";

    /// <summary>Writes the page to <paramref name="path"/> (its directory is created; an earlier file is replaced).</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, IReadOnlyList<ImageCurve> curves, ReportProvenance provenance, string model)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, Render(curves, provenance, model));
    }

    /// <summary>The page's HTML.</summary>
    public static string Render(IReadOnlyList<ImageCurve> curves, ReportProvenance provenance, string model)
    {
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentNullException.ThrowIfNull(provenance);
        if (curves.Count == 0)
        {
            throw new ArgumentException("no curves to plot", nameof(curves));
        }

        bool webp = curves.All(c => c.Webp is not null);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Grid rate-distortion curves</title><style>")
            .Append("body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}")
            .Append(".images{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}figcaption{font-size:13px}svg{background:#fff}")
            .Append("</style></head><body>\n<h1>Grid rate-distortion curves</h1>\n<p>")
            .Append(Escape(model)).Append("<br>data <code>").Append(Escape(provenance.DataDirectory)).Append("</code> (")
            .Append(curves.Count.ToString(CultureInfo.InvariantCulture)).Append(" images), ")
            .Append(Escape(provenance.Created.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)))
            .Append("<br><code>").Append(Escape(provenance.Command)).Append("</code></p>\n");
        html.Append("<p>Grid: one point per quality level (low x1/2, standard x1, high x3/2, max x2: the image coded at that scale, decoded back to full size). ")
            .Append("JPEG (TurboJPEG 4:2:0) and WebP (cwebp -m 6) at qualities ")
            .Append(string.Join(", ", RateCurve.JpegQualities)).Append(". Hollow markers: JPEG")
            .Append(webp ? " and WebP" : string.Empty).Append(" at each Grid frame's own size (highest quality not larger).</p>\n");
        AppendTable(html, curves, webp);
        html.Append("<h2>Mean over the images</h2>\n<figure>")
            .Append(Chart("mean", MeanSeries(curves, webp), Width, Height))
            .Append(Bd("mean", curves.Select(c => c.BdRateJpeg), webp ? curves.Select(c => c.BdRateWebp) : null))
            .Append("</figure>\n<h2>Per image</h2>\n<div class=\"images\">\n");
        foreach (ImageCurve curve in curves)
        {
            html.Append("<figure class=\"image\">")
                .Append(Chart(curve.Name, ImageSeries(curve), SmallWidth, SmallHeight))
                .Append(Bd(curve.Name, [curve.BdRateJpeg], curve.Webp is null ? null : [curve.BdRateWebp]))
                .Append("</figure>\n");
        }

        html.Append("</div>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>A line (or only markers) of one codec.</summary>
    internal sealed record Series(string Name, string Colour, IReadOnlyList<RatePoint> Points, bool Line, bool Hollow);

    private static List<Series> MeanSeries(IReadOnlyList<ImageCurve> curves, bool webp)
    {
        static RatePoint[] Mean(IReadOnlyList<ImageCurve> curves, Func<ImageCurve, IReadOnlyList<RatePoint>> of) =>
            [.. Enumerable.Range(0, of(curves[0]).Count).Select(i => new RatePoint(curves.Average(c => of(c)[i].Bpp), curves.Average(c => of(c)[i].Psnr)))];
        var series = new List<Series>
        {
            new("JPEG", JpegColour, Mean(curves, c => [.. c.Jpeg.Select(p => p.Rate)]), Line: true, Hollow: false),
            new("JPEG at Grid's size", JpegColour, Mean(curves, c => [.. c.Levels.Select(l => new RatePoint(l.Jpeg.Bpp, l.Jpeg.Psnr))]), Line: false, Hollow: true),
        };
        if (webp)
        {
            series.Add(new("WebP", WebpColour, Mean(curves, c => [.. c.Webp!.Select(p => p.Rate)]), Line: true, Hollow: false));
            series.Add(new("WebP at Grid's size", WebpColour, Mean(curves, c => [.. c.Levels.Select(l => new RatePoint(l.Webp!.Bpp, l.Webp.Psnr))]), Line: false, Hollow: true));
        }

        series.Add(new("Grid", GridColour, Mean(curves, c => [.. c.Grid.Select(p => p.Rate)]), Line: true, Hollow: false));
        return series;
    }

    private static List<Series> ImageSeries(ImageCurve curve)
    {
        var series = new List<Series>
        {
            new("JPEG", JpegColour, [.. curve.Jpeg.Select(p => p.Rate)], Line: true, Hollow: false),
            new("JPEG at Grid's size", JpegColour, [.. curve.Levels.Select(l => new RatePoint(l.Jpeg.Bpp, l.Jpeg.Psnr))], Line: false, Hollow: true),
        };
        if (curve.Webp is not null)
        {
            series.Add(new("WebP", WebpColour, [.. curve.Webp.Select(p => p.Rate)], Line: true, Hollow: false));
            series.Add(new("WebP at Grid's size", WebpColour, [.. curve.Levels.Select(l => new RatePoint(l.Webp!.Bpp, l.Webp.Psnr))], Line: false, Hollow: true));
        }

        series.Add(new("Grid", GridColour, [.. curve.Grid.Select(p => p.Rate)], Line: true, Hollow: false));
        return series;
    }

    /// <summary>An SVG chart: x = bpp on a log2 axis, y = PSNR in dB, one polyline (and markers) per series, a legend.</summary>
    internal static string Chart(string title, IReadOnlyList<Series> series, int width, int height)
    {
        RatePoint[] all = [.. series.SelectMany(s => s.Points).Where(p => p.Bpp > 0 && double.IsFinite(p.Psnr))];
        double xLow = Math.Floor(Math.Log2(Math.Max(1.0 / 256, all.Min(p => p.Bpp))));
        double xHigh = Math.Max(xLow + 1, Math.Ceiling(Math.Log2(all.Max(p => p.Bpp))));
        double yLow = Math.Floor(all.Min(p => p.Psnr) / 2) * 2;
        double yHigh = Math.Max(yLow + 2, Math.Ceiling(all.Max(p => p.Psnr) / 2) * 2);
        const int left = 46, right = 12, top = 24, bottom = 36;
        double plotWidth = width - left - right;
        double plotHeight = height - top - bottom;
        double X(double bpp) => left + ((Math.Log2(Math.Max(bpp, Math.Pow(2, xLow))) - xLow) / (xHigh - xLow) * plotWidth);
        double Y(double psnr) => top + ((yHigh - psnr) / (yHigh - yLow) * plotHeight);
        string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-size=\"11\" font-family=\"sans-serif\">")
            .Append("<title>").Append(Escape(title)).Append("</title>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"15\" font-size=\"13\" font-weight=\"bold\">{Escape(title)}</text>");
        for (double e = xLow; e <= xHigh; e++)
        {
            double x = X(Math.Pow(2, e));
            string label = Math.Pow(2, e).ToString(e < 0 ? "0.###" : "0", CultureInfo.InvariantCulture);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(x)}\" y1=\"{top}\" x2=\"{N(x)}\" y2=\"{N(top + plotHeight)}\" stroke=\"#e5e5e5\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x)}\" y=\"{N(top + plotHeight + 14)}\" text-anchor=\"middle\">{label}</text>");
        }

        double yStep = yHigh - yLow > 16 ? 4 : 2;
        for (double db = yLow; db <= yHigh; db += yStep)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{N(Y(db))}\" x2=\"{N(left + plotWidth)}\" y2=\"{N(Y(db))}\" stroke=\"#e5e5e5\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{N(Y(db) + 4)}\" text-anchor=\"end\">{N(db)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{N(plotWidth)}\" height=\"{N(plotHeight)}\" fill=\"none\" stroke=\"#888\"/>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{N(left + (plotWidth / 2))}\" y=\"{height - 4}\" text-anchor=\"middle\">bits per pixel (log scale)</text>")
            .Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(11,{N(top + (plotHeight / 2))}) rotate(-90)\" text-anchor=\"middle\">PSNR dB</text>");
        int legend = 0;
        foreach (Series s in series)
        {
            RatePoint[] points = [.. s.Points.Where(p => p.Bpp > 0 && double.IsFinite(p.Psnr)).OrderBy(p => p.Bpp)];
            svg.Append("<g class=\"series\" data-name=\"").Append(Escape(s.Name)).Append("\">");
            if (s.Line && points.Length > 1)
            {
                svg.Append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").Append(s.Colour).Append("\" points=\"")
                    .Append(string.Join(' ', points.Select(p => $"{N(X(p.Bpp))},{N(Y(p.Psnr))}"))).Append("\"/>");
            }

            foreach (RatePoint p in points)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{N(X(p.Bpp))}\" cy=\"{N(Y(p.Psnr))}\" r=\"{(s.Hollow ? 4 : 3)}\" ")
                    .Append(s.Hollow ? $"fill=\"none\" stroke=\"{s.Colour}\"" : $"fill=\"{s.Colour}\"")
                    .Append(CultureInfo.InvariantCulture, $"><title>{Escape(s.Name)}: {p.Bpp:0.000} bpp, {p.Psnr:0.00} dB</title></circle>");
            }

            double ly = top + 12 + (legend++ * 14);
            double lx = left + plotWidth - 130;
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{N(lx)}\" cy=\"{N(ly - 4)}\" r=\"4\" ")
                .Append(s.Hollow ? $"fill=\"none\" stroke=\"{s.Colour}\"" : $"fill=\"{s.Colour}\"")
                .Append(CultureInfo.InvariantCulture, $"/><text x=\"{N(lx + 8)}\" y=\"{N(ly)}\">{Escape(s.Name)}</text></g>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void AppendTable(StringBuilder html, IReadOnlyList<ImageCurve> curves, bool webp)
    {
        html.Append("<table><tr><th>level</th><th>Grid bpp</th><th>Grid PSNR</th><th>JPEG at Grid's size: bpp</th><th>PSNR</th><th>Grid &ge; JPEG</th>");
        if (webp)
        {
            html.Append("<th>WebP at Grid's size: bpp</th><th>PSNR</th><th>Grid &ge; WebP</th>");
        }

        html.Append("</tr>\n");
        for (int i = 0; i < curves[0].Levels.Count; i++)
        {
            LevelPoint[] at = [.. curves.Select(c => c.Levels[i])];
            html.Append("<tr><td>").Append(FrameQualities.Name(at[0].Quality)).Append(" (x").Append(N3(at[0].Grid.Setting)).Append(")</td>")
                .Append(Cell(at.Average(l => l.Grid.Bpp), "0.000")).Append(Cell(at.Average(l => l.Grid.Psnr), "0.00"))
                .Append(Cell(at.Average(l => l.Jpeg.Bpp), "0.000")).Append(Cell(at.Average(l => l.Jpeg.Psnr), "0.00"))
                .Append("<td>").Append(at.Count(l => l.Grid.Psnr >= l.Jpeg.Psnr).ToString(CultureInfo.InvariantCulture)).Append(" of ").Append(at.Length.ToString(CultureInfo.InvariantCulture)).Append("</td>");
            if (webp)
            {
                html.Append(Cell(at.Average(l => l.Webp!.Bpp), "0.000")).Append(Cell(at.Average(l => l.Webp!.Psnr), "0.00"))
                    .Append("<td>").Append(at.Count(l => l.Grid.Psnr >= l.Webp!.Psnr).ToString(CultureInfo.InvariantCulture)).Append(" of ").Append(at.Length.ToString(CultureInfo.InvariantCulture)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
    }

    private static string Bd(string what, IEnumerable<double> jpeg, IEnumerable<double>? webp)
    {
        static string Mean(IEnumerable<double> values)
        {
            double[] finite = [.. values.Where(double.IsFinite)];
            return finite.Length == 0 ? "-" : finite.Average().ToString("+0.0;-0.0", CultureInfo.InvariantCulture) + " %";
        }

        return $"<figcaption>{Escape(what)}: BD-rate vs JPEG {Mean(jpeg)}" + (webp is null ? string.Empty : $", vs WebP {Mean(webp)}") + "</figcaption>";
    }

    private static string Cell(double value, string format) => "<td>" + value.ToString(format, CultureInfo.InvariantCulture) + "</td>";

    private static string N3(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}

using System.Globalization;
using System.Net;
using System.Text;

namespace Grid.Evaluation;

/// <summary>
/// Renders the rate-distortion report page: one self-contained HTML file (inline CSS and script, relative image
/// links). Every name and path from outside is HTML-escaped. A small script records, once the page has loaded,
/// how many images decoded (<c>data-images-loaded</c> / <c>data-images-total</c> on the root element), so a
/// headless browser can check the page renders.
/// </summary>
internal static class ReportHtml
{
    private const string Dash = "&#8211;";

    private const string Style = """
        body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1120px; color: #1d1d1f; padding: 0 16px; }
        h1 { font-size: 22px; margin-bottom: 4px; }
        h2 { font-size: 16px; margin: 28px 0 6px; }
        h2 small, .note { color: #6e6e73; font-weight: normal; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; }
        dt { color: #6e6e73; }
        dd { margin: 0; overflow-wrap: anywhere; }
        code { font: 12px ui-monospace, monospace; background: #f2f2f4; padding: 1px 4px; border-radius: 3px; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin-top: 8px; }
        th, td { padding: 3px 9px; border-bottom: 1px solid #e3e3e6; text-align: right; white-space: nowrap; }
        th { background: #f7f7f9; }
        th[colspan] { text-align: center; }
        td:first-child, th:first-child { text-align: left; white-space: normal; overflow-wrap: anywhere; max-width: 260px; }
        tr.mean-row td { font-weight: 600; border-top: 2px solid #b0b0b5; }
        .group-grid { background: #eef5ff; }
        .strip { display: flex; flex-wrap: wrap; gap: 10px; }
        figure { margin: 0; }
        figure img { display: block; image-rendering: pixelated; border: 1px solid #d0d0d5; }
        figcaption { font-size: 12px; color: #3a3a3c; margin-top: 3px; }
        """;

    private const string Script = """
        window.addEventListener('load', function () {
          var images = document.images, loaded = 0;
          for (var i = 0; i < images.length; i++) {
            if (images[i].complete && images[i].naturalWidth > 0) { loaded++; }
          }
          document.documentElement.setAttribute('data-images-loaded', String(loaded));
          document.documentElement.setAttribute('data-images-total', String(images.length));
        });
        """;

    public static string Render(EvaluationReport report, IReadOnlyList<ReportCrop> crops, ReportModel model, ReportProvenance provenance)
    {
        var html = new StringBuilder(16 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\" data-images-loaded=\"pending\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Grid rate-distortion report</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>Grid rate-distortion report</h1>\n")
            .Append("<p class=\"note\">Grid against JPEG and WebP at equal rate: each baseline uses the highest quality whose whole file is not larger than Grid's frame.</p>\n");
        AppendProvenance(html, report, model, provenance);
        AppendTable(html, report);
        for (int i = 0; i < report.Images.Count; i++)
        {
            AppendImage(html, i + 1, report.Images[i], crops[i]);
        }
        html.Append("<script>\n").Append(Script).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendProvenance(StringBuilder html, EvaluationReport report, ReportModel model, ReportProvenance provenance)
    {
        html.Append("<dl>\n");
        Item(html, "model", $"version {model.Version}, fingerprint <code>{Escape(model.Fingerprint)}</code>; {Escape(model.Description)}");
        Item(html, "codebook use", F($"{report.CodesUsed} of {report.CodebookSize} codes used over these images, perplexity {report.Perplexity:F1}"));
        Item(html, "data", $"<code>{Escape(provenance.DataDirectory)}</code> ({report.Images.Count} images)");
        Item(html, "date", Escape(provenance.Created.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)));
        Item(html, "command", $"<code>{Escape(provenance.Command)}</code>");
        Item(html, "measures",
            "bpp = whole file bytes &times; 8 / pixels (Grid: the VQF frame with its 31-byte header); PSNR over RGB after rounding to 8 bits; "
            + "MS-SSIM per RGB channel on 8-bit values, averaged over channels (pytorch-msssim conventions; needs both sides &ge; 176 px); "
            + "JPEG: TurboJPEG 4:2:0; WebP: cwebp -m 6; means are per image.");
        html.Append("</dl>\n");
    }

    private static void Item(StringBuilder html, string term, string definitionHtml) =>
        html.Append("<dt>").Append(term).Append("</dt><dd>").Append(definitionHtml).Append("</dd>\n");

    private static void AppendTable(StringBuilder html, EvaluationReport report)
    {
        html.Append("<table id=\"results\">\n<thead>\n")
            .Append("<tr><th rowspan=\"2\">image</th><th rowspan=\"2\">size</th><th colspan=\"3\" class=\"group-grid\">Grid</th>")
            .Append("<th colspan=\"4\">JPEG (TurboJPEG 4:2:0)</th><th colspan=\"4\">WebP (cwebp -m 6)</th></tr>\n<tr>")
            .Append("<th class=\"group-grid\">bpp</th><th class=\"group-grid\">PSNR dB</th><th class=\"group-grid\">MS-SSIM</th>")
            .Append("<th>bpp</th><th>PSNR dB</th><th>MS-SSIM</th><th>q</th>")
            .Append("<th>bpp</th><th>PSNR dB</th><th>MS-SSIM</th><th>q</th></tr>\n</thead>\n<tbody>\n");
        foreach (ImageEvaluation row in report.Images)
        {
            BaselinePoint? webp = row.Webp;
            html.Append("<tr class=\"image-row\"><td>").Append(Escape(row.Name)).Append("</td>")
                .Append(F($"<td>{row.Width}&times;{row.Height}</td>"))
                .Append(Cell(row.Bpp, "F4")).Append(Cell(row.Psnr, "F2")).Append(Cell(row.MsSsim, "F4"))
                .Append(Cell(row.JpegBpp, "F4")).Append(Cell(row.JpegPsnr, "F2")).Append(Cell(row.JpegMsSsim, "F4"))
                .Append(QualityCell(row.JpegQuality, row.JpegOverBudget))
                .Append(Cell(webp?.Bpp ?? double.NaN, "F4")).Append(Cell(webp?.Psnr ?? double.NaN, "F2")).Append(Cell(webp?.MsSsim ?? double.NaN, "F4"))
                .Append(webp is null ? $"<td>{Dash}</td>" : QualityCell(webp.Quality, webp.OverBudget))
                .Append("</tr>\n");
        }
        html.Append("</tbody>\n<tfoot>\n<tr class=\"mean-row\">").Append(F($"<td>mean ({report.Images.Count} images)</td><td></td>"))
            .Append(Cell(report.MeanBpp, "F4")).Append(Cell(report.MeanPsnr, "F2")).Append(Cell(report.MeanMsSsim, "F4"))
            .Append(Cell(report.MeanJpegBpp, "F4")).Append(Cell(report.MeanJpegPsnr, "F2")).Append(Cell(report.MeanJpegMsSsim, "F4")).Append("<td></td>")
            .Append(Cell(report.MeanWebpBpp, "F4")).Append(Cell(report.MeanWebpPsnr, "F2")).Append(Cell(report.MeanWebpMsSsim, "F4")).Append("<td></td>")
            .Append("</tr>\n</tfoot>\n</table>\n");
        var notes = new List<string>();
        if (report.Images.Any(i => i.JpegOverBudget || i.Webp is { OverBudget: true }))
        {
            notes.Add("* the codec cannot get this small even at its lowest quality; the row shows that quality at a higher bpp.");
        }
        if (report.Images.Any(i => double.IsNaN(i.MsSsim)))
        {
            notes.Add($"{Dash} MS-SSIM needs both sides at least {MsSsim.MinimumSide} px; a mean with a missing value is not shown.");
        }
        foreach (string note in notes)
        {
            html.Append("<p class=\"note\">").Append(note).Append("</p>\n");
        }
    }

    private static void AppendImage(StringBuilder html, int index, ImageEvaluation row, ReportCrop crop)
    {
        string cropText = crop.Width == row.Width && crop.Height == row.Height
            ? "the whole image"
            : F($"the centre {crop.Width}&times;{crop.Height} crop at ({crop.X}, {crop.Y})");
        html.Append(F($"<section class=\"image\" id=\"image-{index:D3}\">\n<h2>"))
            .Append(Escape(row.Name)).Append(F($" <small>{row.Width}&times;{row.Height}</small></h2>\n"))
            .Append("<p class=\"note\">").Append(cropText).Append("; the figures under each picture are for the whole image.</p>\n")
            .Append("<div class=\"strip\">\n");
        Figure(html, crop, crop.Original, "original", "original, 24 bpp");
        Figure(html, crop, crop.Grid, "Grid", Caption("Grid", row.Bpp, row.Psnr, row.MsSsim, null));
        Figure(html, crop, crop.Jpeg, "JPEG", Caption("JPEG", row.JpegBpp, row.JpegPsnr, row.JpegMsSsim, F($"q {row.JpegQuality}{(row.JpegOverBudget ? "*" : "")}")));
        BaselinePoint webp = row.Webp!;
        Figure(html, crop, crop.Webp, "WebP", Caption("WebP", webp.Bpp, webp.Psnr, webp.MsSsim, F($"q {webp.Quality}{(webp.OverBudget ? "*" : "")}")));
        html.Append("</div>\n</section>\n");
    }

    private static void Figure(StringBuilder html, ReportCrop crop, string source, string alt, string captionHtml) =>
        html.Append(F($"<figure><img src=\"{Escape(source)}\" width=\"{crop.Width}\" height=\"{crop.Height}\" alt=\"{alt}\">"))
            .Append("<figcaption>").Append(captionHtml).Append("</figcaption></figure>\n");

    private static string Caption(string codec, double bpp, double psnr, double msSsim, string? quality) =>
        $"<b>{codec}</b>{(quality is null ? "" : $" ({quality})")}<br>{Number(bpp, "F4")} bpp &middot; {Number(psnr, "F2")} dB &middot; MS-SSIM {Number(msSsim, "F4")}";

    private static string Cell(double value, string format) => $"<td>{Number(value, format)}</td>";

    private static string QualityCell(int quality, bool overBudget) => F($"<td>{quality}{(overBudget ? "*" : "")}</td>");

    private static string Number(double value, string format) =>
        double.IsNaN(value) ? Dash : value.ToString(format, CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

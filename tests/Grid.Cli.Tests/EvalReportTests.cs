using System.Text.Json;
using System.Text.RegularExpressions;
using Grid.Imaging;
using Grid.TestSupport.Browser;

namespace Grid.Cli.Tests;

/// <summary>`grid eval` with MS-SSIM, WebP and the HTML report, run as a process; the report is rendered by a real headless Chromium.</summary>
public sealed class EvalReportTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "grid-cli-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _model;
    private readonly string _images;

    public EvalReportTests()
    {
        Directory.CreateDirectory(_root);
        _model = CliTestData.CreateModel(_root, "model", version: 5, seed: 3);
        _images = Path.Combine(_root, "images");
        Directory.CreateDirectory(_images);
        // Both at least 176 px a side, so MS-SSIM is defined; the second is larger than a 256 px crop.
        ImageFile.Write(Path.Combine(_images, "first & <one>.png"), CliTestData.Picture(200, 180, 4));
        ImageFile.Write(Path.Combine(_images, "second.png"), CliTestData.Picture(300, 264, 5));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void EvalReportRendersEveryImageInHeadlessChromium()
    {
        HeadlessChromium.Executable(); // fail fast, before the evaluation, when chromium is missing

        CliResult eval = CliRun.RunIn(_root, "eval", "--data", _images, "--model", _model, "--report", "report");

        Assert.True(eval.ExitCode == 0, eval.ToString());
        string index = Path.Combine(_root, "report", "index.html");
        Assert.Contains($"report: {index}", eval.Stdout, StringComparison.Ordinal);
        Assert.Contains("WebP MS-SSIM", eval.Stdout, StringComparison.Ordinal);

        string dom = HeadlessChromium.DumpDom(index);

        Match loaded = Regex.Match(dom, "data-images-loaded=\"(\\d+)\" data-images-total=\"(\\d+)\"");
        Assert.True(loaded.Success, "the page's load script did not run:\n" + dom[..Math.Min(600, dom.Length)]);
        Assert.Equal("8", loaded.Groups[2].Value); // original | Grid | JPEG | WebP for each of the 2 images
        Assert.Equal("8", loaded.Groups[1].Value);
        MatchCollection rows = Regex.Matches(dom, "<tr class=\"image-row\"><td>([^<]*)</td>");
        Assert.Equal(["first &amp; &lt;one&gt;.png", "second.png"], rows.Select(r => r.Groups[1].Value));
        Assert.Contains("grid eval --data", dom, StringComparison.Ordinal);
        Assert.Contains("--report report", dom, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalJsonCarriesMsSsimAndWebpWhenAsked()
    {
        CliResult plain = CliRun.RunIn(_root, "eval", "--data", _images, "--model", _model, "--json");
        CliResult withWebp = CliRun.RunIn(_root, "eval", "--data", _images, "--model", _model, "--json", "--webp");

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.True(withWebp.ExitCode == 0, withWebp.ToString());
        using JsonDocument plainJson = JsonDocument.Parse(plain.Stdout);
        using JsonDocument webpJson = JsonDocument.Parse(withWebp.Stdout);
        JsonElement first = plainJson.RootElement.GetProperty("images")[0];
        Assert.InRange(first.GetProperty("ms_ssim").GetDouble(), 0, 1);
        Assert.InRange(first.GetProperty("jpeg_ms_ssim").GetDouble(), 0, 1);
        Assert.False(first.TryGetProperty("webp_bpp", out _));
        Assert.False(plainJson.RootElement.TryGetProperty("mean_webp_psnr", out _));
        double meanMsSsim = plainJson.RootElement.GetProperty("mean_ms_ssim").GetDouble();
        double secondMsSsim = plainJson.RootElement.GetProperty("images")[1].GetProperty("ms_ssim").GetDouble();
        Assert.Equal((first.GetProperty("ms_ssim").GetDouble() + secondMsSsim) / 2, meanMsSsim, 5);
        Assert.InRange(plainJson.RootElement.GetProperty("mean_jpeg_ms_ssim").GetDouble(), 0, 1);

        foreach (JsonElement image in webpJson.RootElement.GetProperty("images").EnumerateArray())
        {
            Assert.True(image.GetProperty("webp_bytes").GetInt32() <= image.GetProperty("bytes").GetInt32()
                || image.GetProperty("webp_over_budget").GetBoolean());
            Assert.True(image.GetProperty("webp_bpp").GetDouble() > 0);
            Assert.True(image.GetProperty("webp_psnr").GetDouble() > 0);
            Assert.InRange(image.GetProperty("webp_ms_ssim").GetDouble(), 0, 1);
        }
        Assert.True(webpJson.RootElement.GetProperty("mean_webp_psnr").GetDouble() > 0);
        // The Grid and JPEG numbers do not depend on whether WebP is measured.
        Assert.Equal(plainJson.RootElement.GetProperty("mean_psnr").GetDouble(), webpJson.RootElement.GetProperty("mean_psnr").GetDouble());
    }

    [Fact]
    public void EvalReportRefusesNoJpeg()
    {
        CliResult eval = CliRun.RunIn(_root, "eval", "--data", _images, "--model", _model, "--report", "r", "--no-jpeg");

        Assert.Equal(ExitCodes.Usage, eval.ExitCode);
        Assert.Contains("drop --no-jpeg", eval.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "r")));
    }
}

using System.Diagnostics;
using System.Text.Json;
using Grid.Codec;
using Grid.Contracts.Frames;
using Grid.Imaging;

namespace Grid.Cli.Tests;

/// <summary><c>grid train-prior</c>, <c>encode --coding</c>, <c>decode</c> and <c>eval</c> with entropy-coded frames.</summary>
public sealed class EntropyCommandsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "grid-cli-entropy-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _model;

    public EntropyCommandsTests()
    {
        Directory.CreateDirectory(_root);
        _model = CliTestData.CreateModel(_root, "model", version: 3, seed: 1);
        string train = Path.Combine(_root, "train");
        Directory.CreateDirectory(train);
        for (int i = 0; i < 4; i++)
        {
            ImageFile.Write(Path.Combine(train, $"t{i}.png"), CliTestData.Picture(96, 64, 10 + i));
        }

        ImageFile.Write(Path.Combine(_root, "photo.png"), CliTestData.Picture(70, 45, 1));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void TrainPriorThenLearnedFramesDecodeToTheFixedRatePixels()
    {
        Assert.Equal(ExitCodes.NotFound, Grid("encode", "photo.png", "-o", "none.vqf", "--model", _model, "--coding", "learned").ExitCode);

        CliResult train = Grid("train-prior", "--data", "train", "--model", _model);
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Contains("[4/4] t3.png", train.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_model, "prior.bin")));

        foreach (string coding in new[] { "fixed", "baseline", "learned" })
        {
            CliResult encode = Grid("encode", "photo.png", "-o", $"{coding}.vqf", "--model", _model, "--coding", coding);
            Assert.True(encode.ExitCode == 0, encode.ToString());
            CliResult decode = Grid("decode", $"{coding}.vqf", "-o", $"{coding}.png", "--model", _model);
            Assert.True(decode.ExitCode == 0, decode.ToString());
        }

        byte[] fixedPixels = ImageFile.Read(Path.Combine(_root, "fixed.png")).Pixels;
        Assert.Equal(fixedPixels, ImageFile.Read(Path.Combine(_root, "baseline.png")).Pixels);
        Assert.Equal(fixedPixels, ImageFile.Read(Path.Combine(_root, "learned.png")).Pixels);
        EntropyFrameHeader header = VqfEntropyReader.ReadHeader(File.ReadAllBytes(Path.Combine(_root, "learned.vqf")));
        // train-prior writes a format 2 prior, so "learned" codes with the mixing coder.
        Assert.Equal((FrameCoding.Mixing, FrameKind.Key), (header.Coding, header.Kind));
        using VqCodec codec = VqCodec.Load(_model);
        Assert.Equal(codec.Prior!.Fingerprint, header.PriorFingerprint);
    }

    [Fact]
    public void ALearnedFrameNeedsItsOwnPrior()
    {
        Assert.Equal(0, Grid("train-prior", "--data", "train", "--model", _model).ExitCode);
        Assert.Equal(0, Grid("encode", "photo.png", "-o", "learned.vqf", "--model", _model, "--coding", "learned").ExitCode);

        // Retrained on other images: another prior, so the frame is refused instead of decoded wrongly.
        File.Delete(Path.Combine(_root, "train", "t0.png"));
        Assert.Equal(0, Grid("train-prior", "--data", "train", "--model", _model).ExitCode);
        CliResult decode = Grid("decode", "learned.vqf", "-o", "back.png", "--model", _model);

        Assert.Equal(ExitCodes.ModelMismatch, decode.ExitCode);
        Assert.Contains("prior", decode.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "back.png")));
    }

    [Fact]
    public void EvalReportsBaselineAndLearnedBitsPerPixel()
    {
        Assert.Equal(0, Grid("train-prior", "--data", "train", "--model", _model).ExitCode);

        CliResult eval = Grid("eval", "--data", "train", "--model", _model, "--json", "--no-jpeg");

        Assert.True(eval.ExitCode == 0, eval.ToString());
        using JsonDocument json = JsonDocument.Parse(eval.Stdout);
        JsonElement first = json.RootElement.GetProperty("images")[0];
        Assert.True(first.GetProperty("baseline_bpp").GetDouble() > 0);
        Assert.True(first.GetProperty("learned_bpp").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("mean_learned_bpp").GetDouble() < json.RootElement.GetProperty("mean_bpp").GetDouble());
    }

    [Fact]
    public void EvalComparesJpegAtEachImagesOwnLearnedSize()
    {
        Assert.Equal(0, Grid("train-prior", "--data", "train", "--model", _model).ExitCode);

        CliResult eval = Grid("eval", "--data", "train", "--model", _model, "--json");

        Assert.True(eval.ExitCode == 0, eval.ToString());
        using JsonDocument json = JsonDocument.Parse(eval.Stdout);
        foreach (JsonElement image in json.RootElement.GetProperty("images").EnumerateArray())
        {
            int learned = image.GetProperty("learned_bytes").GetInt32();
            int jpeg = image.GetProperty("jpeg_at_learned_bytes").GetInt32();
            bool over = image.GetProperty("jpeg_at_learned_over_budget").GetBoolean();
            Assert.True(over ? jpeg > learned : jpeg <= learned, $"learned {learned} bytes, JPEG {jpeg} (over budget: {over})");
            Assert.True(image.GetProperty("jpeg_at_learned_psnr").GetDouble() > 0);

            // At the fixed-rate size (larger), JPEG gets at least as high a quality.
            Assert.True(image.GetProperty("jpeg_quality").GetInt32() >= image.GetProperty("jpeg_at_learned_quality").GetInt32());
        }

        Assert.True(json.RootElement.GetProperty("mean_jpeg_at_learned_psnr").GetDouble() > 0);
        Assert.False(json.RootElement.TryGetProperty("mean_webp_at_learned_psnr", out _));

        CliResult table = Grid("eval", "--data", "train", "--model", _model);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("At each image's own learned (entropy-coded) size", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("images at the learned rate", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalCurveGivesGridsPointsAtItsQualityLevelsWithJpegAtEachFramesSizeAndWritesThePlot()
    {
        // No prior: the curve codes fixed-rate frames, whose size grows with the level (this tiny random model maps
        // everything to a few codes, which a prior would code in a handful of bytes at any size).
        CliResult eval = Grid("eval", "--data", "train", "--model", _model, "--curve", "--json", "--plot", "out/curves.html");

        Assert.True(eval.ExitCode == 0, eval.ToString());
        using JsonDocument json = JsonDocument.Parse(eval.Stdout);
        Assert.Equal(["low", "standard", "high", "max"], json.RootElement.GetProperty("grid_levels").EnumerateArray().Select(l => l.GetProperty("quality").GetString()));
        JsonElement[] images = [.. json.RootElement.GetProperty("images").EnumerateArray()];
        Assert.Equal(4, images.Length);
        foreach (JsonElement image in images)
        {
            JsonElement[] grid = [.. image.GetProperty("grid").EnumerateArray()];
            double[] gridBpp = [.. grid.Select(p => p.GetProperty("bpp").GetDouble())];
            Assert.Equal(4, gridBpp.Length);
            Assert.True(gridBpp[0] < gridBpp[1] && gridBpp[1] < gridBpp[2] && gridBpp[2] < gridBpp[3], string.Join(", ", gridBpp));
            Assert.All(grid, p => Assert.True(
                p.GetProperty("jpeg_at_bpp").GetProperty("bytes").GetInt32() <= p.GetProperty("bytes").GetInt32() || p.GetProperty("jpeg_at_bpp").GetProperty("over_budget").GetBoolean()));
            Assert.Equal(11, image.GetProperty("jpeg").GetArrayLength());
            Assert.True(image.TryGetProperty("bd_rate_jpeg", out _));
        }

        string page = File.ReadAllText(Path.Combine(_root, "out", "curves.html"));
        Assert.Equal(1 + images.Length, System.Text.RegularExpressions.Regex.Count(page, "<svg "));
        Assert.Contains("plot: ", eval.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, Grid("eval", "--data", "train", "--model", _model, "--curve", "--no-jpeg").ExitCode);
        Assert.Equal(ExitCodes.Usage, Grid("eval", "--data", "train", "--model", _model, "--plot", "x.html").ExitCode);
    }

    [Fact]
    public void TrainPriorLearnsInterFrameStatisticsFromVideos()
    {
        string video = MakeClip();

        CliResult train = Grid("train-prior", "--data", "train", "--video", video, "--video-frames", "6", "--model", _model);

        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Contains("clip.mp4: 6 frames, 5 consecutive pairs so far", train.Stdout, StringComparison.Ordinal);
        Assert.Contains("5 frame pairs", train.Stdout, StringComparison.Ordinal);
        using (VqCodec codec = VqCodec.Load(_model))
        {
            Assert.Equal(2, codec.Prior!.FormatVersion);
        }

        Assert.Equal(ExitCodes.NotFound, Grid("train-prior", "--data", "train", "--video", "missing.mp4", "--model", _model).ExitCode);
        CliResult few = Grid("train-prior", "--data", "train", "--video", video, "--video-frames", "1", "--model", _model);
        Assert.Equal(ExitCodes.Usage, few.ExitCode);
        Assert.Contains("--video-frames", few.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalStreamCodesAVideoThreeWaysAndChecksEveryFrame()
    {
        Assert.Equal(0, Grid("train-prior", "--data", "train", "--model", _model).ExitCode);
        string video = MakeClip();
        CliResult eval = Grid("eval", "--stream", video, "--model", _model, "--key-every", "5", "--json");

        Assert.True(eval.ExitCode == 0, eval.ToString());
        using JsonDocument json = JsonDocument.Parse(eval.Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal(12, root.GetProperty("frames").GetInt32());
        JsonElement[] sizes = [.. root.GetProperty("sizes").EnumerateArray()];
        Assert.Equal(["key", "inter", "inter", "inter", "inter", "key"], sizes.Take(6).Select(s => s[1].GetString()));
        Assert.True(root.GetProperty("learned_bytes").GetInt64() < root.GetProperty("fixed_bytes").GetInt64());
        Assert.Equal(ExitCodes.Usage, Grid("eval", "--model", _model).ExitCode);
    }

    private string MakeClip()
    {
        string video = Path.Combine(_root, "clip.mp4");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "-v", "error", "-f", "lavfi", "-i", "testsrc=size=96x64:rate=10", "-frames:v", "12", "-pix_fmt", "yuv420p", "-y", video })
        {
            start.ArgumentList.Add(argument);
        }

        using (Process ffmpeg = Process.Start(start)!)
        {
            string errors = ffmpeg.StandardError.ReadToEnd();
            ffmpeg.WaitForExit();
            Assert.True(ffmpeg.ExitCode == 0, errors);
        }

        return video;
    }

    private CliResult Grid(params string[] arguments) => CliRun.RunIn(_root, arguments);
}

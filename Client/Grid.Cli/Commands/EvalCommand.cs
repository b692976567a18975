using Grid.Contracts.Frames;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grid.Codec;
using Grid.Evaluation;
using Spectre.Console;

namespace Grid.Cli.Commands;

/// <summary>
/// <c>grid eval --data DIR [--model DIR] [--json] [--webp] [--report DIR]</c>: rate and distortion (PSNR, MS-SSIM)
/// per image, against JPEG (and WebP) at equal rate; optionally a static HTML report with crops.
/// </summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo?>("--data") { Description = "Directory of images to evaluate (e.g. data/images/val)" };
        var stream = new Option<FileInfo?>("--stream") { Description = "Instead of --data: a video coded as one stream, fixed rate vs baseline vs learned inter frames (e.g. data/video/vtest.avi)" };
        var frames = new Option<int>("--frames") { Description = "With --stream: frames to code", DefaultValueFactory = _ => 300 };
        var keyEvery = new Option<int>("--key-every") { Description = "With --stream: a key frame every N frames", DefaultValueFactory = _ => 30 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table" };
        var noJpeg = new Option<bool>("--no-jpeg") { Description = "Skip the JPEG comparison" };
        var webp = new Option<bool>("--webp") { Description = "Also compare with WebP (cwebp) at the same or lower bpp" };
        var report = new Option<DirectoryInfo?>("--report") { Description = "Write an HTML report (index.html + crops) into this directory; implies --webp" };
        var curve = new Option<bool>("--curve") { Description = "Rate-distortion curves instead: Grid at each quality level (low, standard, high, max) against JPEG (and with --webp WebP) at a ladder of qualities and at each frame's own size, and Grid's BD-rate against them" };
        var plot = new Option<FileInfo?>("--plot") { Description = "With --curve: also write the curves as an HTML page with SVG charts (mean and per image) to this file" };
        Option<DirectoryInfo?> model = CommonOptions.Model();
        Option<string> device = CommonOptions.Device();
        Option<int> threads = CommonOptions.Threads();
        Option<string> precision = CommonOptions.Precision();
        Option<int> deviceBatch = CommonOptions.DeviceBatch();
        var command = new Command("eval", "Measure bpp, PSNR and MS-SSIM per image, with JPEG (TurboJPEG) and optionally WebP at the same or lower bpp")
        {
            data, stream, frames, keyEvery, model, json, noJpeg, webp, report, curve, plot, device, threads, precision, deviceBatch,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            CommonOptions.ApplyInference(parse.GetValue(precision)!, parse.GetValue(deviceBatch));
            if (parse.GetValue(stream) is { } video)
            {
                if (parse.GetValue(data) is not null)
                {
                    throw new ArgumentException("give --data (images) or --stream (a video), not both");
                }

                using VqCodec streamCodec = VqCodec.Load(CommonOptions.ModelPath(parse.GetValue(model)), parse.GetValue(device)!);
                return StreamEval.Run(streamCodec, video, parse.GetValue(frames), parse.GetValue(keyEvery), parse.GetValue(json));
            }

            if (parse.GetValue(data) is null)
            {
                throw new ArgumentException("eval needs --data DIR (images) or --stream VIDEO");
            }

            if (parse.GetValue(curve))
            {
                if (parse.GetValue(report) is not null || parse.GetValue(noJpeg))
                {
                    throw new ArgumentException("--curve compares with JPEG and writes its page with --plot FILE.html: drop --report and --no-jpeg");
                }

                using VqCodec curveCodec = VqCodec.Load(CommonOptions.ModelPath(parse.GetValue(model)), parse.GetValue(device)!);
                string dataPath = parse.GetValue(data)!.FullName;
                List<ImageCurve> curves = MeasureCurves(curveCodec, Evaluator.ImageFiles(dataPath), parse.GetValue(webp), parse.GetValue(json));
                int code = PrintCurves(curveCodec, curves, parse.GetValue(webp), parse.GetValue(json));
                if (parse.GetValue(plot) is { } page)
                {
                    RateCurvePlot.Write(page.FullName, curves, new ReportProvenance(parse.GetValue(data)!.ToString(), CommandLine(), DateTimeOffset.UtcNow),
                        $"model v{curveCodec.Version} ({VqfFormat.FormatFingerprint(curveCodec.Fingerprint)}), {(curveCodec.Prior is null ? "fixed-rate frames" : "entropy-coded frames (learned prior)")}");
                    Console.Error.WriteLine($"plot: {page.FullName}");
                }

                return code;
            }

            if (parse.GetValue(plot) is not null)
            {
                throw new ArgumentException("--plot draws the curves of --curve: add --curve");
            }

            DirectoryInfo? reportDirectory = parse.GetValue(report);
            if (reportDirectory is not null && parse.GetValue(noJpeg))
            {
                throw new ArgumentException("--report compares Grid with JPEG and WebP; drop --no-jpeg");
            }
            string dataDirectory = parse.GetValue(data)!.FullName;
            IReadOnlyList<string> files = Evaluator.ImageFiles(dataDirectory);
            using VqCodec codec = VqCodec.Load(CommonOptions.ModelPath(parse.GetValue(model)), parse.GetValue(device)!);
            bool asJson = parse.GetValue(json);
            var options = new EvaluationOptions { Jpeg = !parse.GetValue(noJpeg), Webp = parse.GetValue(webp) || reportDirectory is not null };

            EvaluationReport Run(Action<int, ImageEvaluation>? progress) => reportDirectory is null
                ? Evaluator.Evaluate(codec, files, options, progress)
                : RateDistortionReport.Write(reportDirectory.FullName, codec, files,
                    new ReportProvenance(dataDirectory, CommandLine(), DateTimeOffset.UtcNow), options.WebpTools, progress);

            EvaluationReport result = asJson
                ? Run(null)
                : AnsiConsole.Progress().AutoClear(true).Start(context =>
                {
                    ProgressTask task = context.AddTask("evaluating", maxValue: files.Count);
                    return Run((done, row) =>
                    {
                        task.Value = done;
                        task.Description = row.Name;
                    });
                });
            if (asJson)
            {
                Console.WriteLine(ToJson(result, codec, options.Webp).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                PrintTable(result, codec, options.Webp);
            }
            if (reportDirectory is not null)
            {
                // Keep stdout pure JSON under --json.
                (asJson ? Console.Error : Console.Out).WriteLine(
                    $"report: {Path.Combine(reportDirectory.FullName, RateDistortionReport.IndexFile)}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static List<ImageCurve> MeasureCurves(VqCodec codec, IReadOnlyList<string> files, bool webp, bool asJson)
    {
        var curves = new List<ImageCurve>();
        foreach (string file in files)
        {
            curves.Add(RateCurve.Measure(codec, file, webp));
            if (!asJson)
            {
                Console.Error.WriteLine($"{Path.GetFileName(file)}: {curves.Count}/{files.Count}");
            }
        }

        return curves;
    }

    private static int PrintCurves(VqCodec codec, List<ImageCurve> curves, bool webp, bool asJson)
    {

        static double Mean(IEnumerable<double> values)
        {
            double[] finite = [.. values.Where(v => !double.IsNaN(v))];
            return finite.Length == 0 ? double.NaN : finite.Average();
        }

        static JsonNode? Number(double value, int digits) => double.IsNaN(value) ? null : JsonValue.Create(Math.Round(value, digits));
        static JsonObject Point(CurvePoint p) => new() { ["setting"] = p.Setting, ["bytes"] = p.Bytes, ["bpp"] = Number(p.Bpp, 5), ["psnr"] = Number(p.Psnr, 3) };
        static JsonObject AtRate(EqualRatePoint p) => new() { ["quality"] = p.Quality, ["bytes"] = p.Bytes, ["bpp"] = Number(p.Bpp, 5), ["psnr"] = Number(p.Psnr, 3), ["over_budget"] = p.OverBudget };
        static JsonArray Points(IEnumerable<CurvePoint> points) => [.. points.Select(p => (JsonNode)Point(p))];
        double meanJpeg = Mean(curves.Select(c => c.BdRateJpeg));
        double meanWebp = webp ? Mean(curves.Select(c => c.BdRateWebp)) : double.NaN;
        IReadOnlyList<FrameQuality> levels = FrameQualities.All;
        if (asJson)
        {
            var images = new JsonArray();
            foreach (ImageCurve c in curves)
            {
                var grid = new JsonArray();
                foreach (LevelPoint level in c.Levels)
                {
                    JsonObject point = Point(level.Grid);
                    point["quality"] = FrameQualities.Name(level.Quality);
                    point["jpeg_at_bpp"] = AtRate(level.Jpeg);
                    if (level.Webp is not null)
                    {
                        point["webp_at_bpp"] = AtRate(level.Webp);
                    }

                    grid.Add(point);
                }

                var image = new JsonObject
                {
                    ["name"] = c.Name,
                    ["width"] = c.Width,
                    ["height"] = c.Height,
                    ["grid"] = grid,
                    ["jpeg"] = Points(c.Jpeg),
                    ["bd_rate_jpeg"] = Number(c.BdRateJpeg, 2),
                };
                if (c.Webp is not null)
                {
                    image["webp"] = Points(c.Webp);
                    image["bd_rate_webp"] = Number(c.BdRateWebp, 2);
                }

                images.Add(image);
            }

            var result = new JsonObject
            {
                ["model"] = new JsonObject { ["version"] = codec.Version, ["fingerprint"] = VqfFormat.FormatFingerprint(codec.Fingerprint) },
                ["grid_levels"] = new JsonArray([.. levels.Select(q => (JsonNode)new JsonObject { ["quality"] = FrameQualities.Name(q), ["scale"] = FrameQualities.Factor(q) })]),
                ["images"] = images,
                ["mean_bd_rate_jpeg"] = Number(meanJpeg, 2),
            };
            if (webp)
            {
                result["mean_bd_rate_webp"] = Number(meanWebp, 2);
            }

            Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Success;
        }

        static string F(double value, string format) => double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);
        static string Name(FrameQuality q) => string.Create(CultureInfo.InvariantCulture, $"{FrameQualities.Name(q)} x{FrameQualities.Factor(q):0.##}");

        // Per level, mean over the images: Grid, and JPEG (WebP) at each frame's own size.
        var summary = new Table().Border(TableBorder.Simple).AddColumns("level", "Grid bpp", "Grid dB", "JPEG at Grid's size bpp", "dB", "Grid >= JPEG");
        if (webp)
        {
            summary.AddColumns("WebP at Grid's size bpp", "dB", "Grid >= WebP");
        }

        for (int i = 0; i < levels.Count; i++)
        {
            LevelPoint[] at = [.. curves.Select(c => c.Levels[i])];
            List<string> cells =
            [
                Name(levels[i]), F(at.Average(l => l.Grid.Bpp), "F3"), $"[bold]{F(at.Average(l => l.Grid.Psnr), "F2")}[/]",
                F(at.Average(l => l.Jpeg.Bpp), "F3"), F(at.Average(l => l.Jpeg.Psnr), "F2"), $"{at.Count(l => l.Grid.Psnr >= l.Jpeg.Psnr)} of {at.Length}",
            ];
            if (webp)
            {
                cells.AddRange([F(at.Average(l => l.Webp!.Bpp), "F3"), F(at.Average(l => l.Webp!.Psnr), "F2"), $"{at.Count(l => l.Grid.Psnr >= l.Webp!.Psnr)} of {at.Length}"]);
            }

            summary.AddRow(cells.ToArray());
        }

        AnsiConsole.Write(summary);

        // Per image: each level's bpp / dB against JPEG's dB at that frame's size, and the BD-rates.
        var table = new Table().Border(TableBorder.Simple).AddColumns("image");
        List<string> columns = [.. levels.Select(q => $"{Name(q)}: bpp / dB / JPEG dB"), "BD-rate vs JPEG"];
        if (webp)
        {
            columns.Add("BD-rate vs WebP");
        }

        foreach (string column in columns)
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (ImageCurve c in curves)
        {
            List<string> cells = [Markup.Escape(c.Name), .. c.Levels.Select(l => $"{F(l.Grid.Bpp, "F3")} / {F(l.Grid.Psnr, "F2")} / {F(l.Jpeg.Psnr, "F2")}{(l.Jpeg.OverBudget ? "*" : string.Empty)}"), F(c.BdRateJpeg, "+0.0;-0.0") + " %"];
            if (webp)
            {
                cells.Add(F(c.BdRateWebp, "+0.0;-0.0") + " %");
            }

            table.AddRow(cells.ToArray());
        }

        List<string> mean = ["[bold]mean[/]", .. levels.Select((_, i) => $"{F(curves.Average(c => c.Levels[i].Grid.Bpp), "F3")} / {F(curves.Average(c => c.Levels[i].Grid.Psnr), "F2")} / {F(curves.Average(c => c.Levels[i].Jpeg.Psnr), "F2")}"), $"[bold]{F(meanJpeg, "+0.0;-0.0")} %[/]"];
        if (webp)
        {
            mean.Add($"[bold]{F(meanWebp, "+0.0;-0.0")} %[/]");
        }

        table.AddRow(mean.ToArray());
        AnsiConsole.Write(table);
        string jpegCurve = string.Join("  ", RateCurve.JpegQualities.Select((q, i) =>
            string.Create(CultureInfo.InvariantCulture, $"q{q} {curves.Average(c => c.Jpeg[i].Bpp):F3}/{curves.Average(c => c.Jpeg[i].Psnr):F2}")));
        AnsiConsole.WriteLine($"JPEG bpp/dB, mean over images: {jpegCurve}");
        if (webp)
        {
            string webpCurve = string.Join("  ", RateCurve.WebpQualities.Select((q, i) =>
                string.Create(CultureInfo.InvariantCulture, $"q{q} {curves.Average(c => c.Webp![i].Bpp):F3}/{curves.Average(c => c.Webp![i].Psnr):F2}")));
            AnsiConsole.WriteLine($"WebP bpp/dB, mean over images: {webpCurve}");
        }

        AnsiConsole.WriteLine("Grid's points are its quality levels: the image coded at x1/2, x1, x3/2 and x2 its size and decoded back to full size, " + (codec.Prior is null ? "fixed-rate frames." : "entropy-coded with the model's prior."));
        AnsiConsole.WriteLine("JPEG (WebP) at Grid's size: its highest quality whose file is not larger than Grid's frame of that image (* = even quality 1 is larger).");
        AnsiConsole.WriteLine("BD-rate (Bjontegaard, cubic fit of log rate over the PSNR range both curves cover): negative = Grid needs fewer bits at equal PSNR; '-' = the curves do not overlap.");
        return ExitCodes.Success;
    }

    /// <summary>The command line as typed (program name "grid"), quoted for a POSIX shell where needed.</summary>
    private static string CommandLine() =>
        string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Prepend("grid").Select(ShellQuote));

    private static string ShellQuote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static JsonObject ToJson(EvaluationReport report, VqCodec codec, bool withWebp)
    {
        static JsonNode? Number(double value, int digits) => double.IsNaN(value) ? null : JsonValue.Create(Math.Round(value, digits));
        var images = new JsonArray();
        foreach (ImageEvaluation row in report.Images)
        {
            var image = new JsonObject
            {
                ["name"] = row.Name,
                ["width"] = row.Width,
                ["height"] = row.Height,
                ["bytes"] = row.FrameBytes,
                ["bpp"] = Number(row.Bpp, 5),
                ["baseline_bytes"] = row.BaselineBytes,
                ["baseline_bpp"] = Number(row.BaselineBpp, 5),
                ["learned_bytes"] = row.LearnedBytes,
                ["learned_bpp"] = Number(row.LearnedBpp, 5),
                ["psnr"] = Number(row.Psnr, 3),
                ["ms_ssim"] = Number(row.MsSsim, 6),
                ["jpeg_bytes"] = row.JpegBytes,
                ["jpeg_bpp"] = Number(row.JpegBpp, 5),
                ["jpeg_psnr"] = Number(row.JpegPsnr, 3),
                ["jpeg_ms_ssim"] = Number(row.JpegMsSsim, 6),
                ["jpeg_quality"] = row.JpegQuality,
                ["jpeg_over_budget"] = row.JpegOverBudget,
            };
            if (row.JpegAtLearned is { } jpegAtLearned)
            {
                image["jpeg_at_learned_bytes"] = jpegAtLearned.Bytes;
                image["jpeg_at_learned_bpp"] = Number(jpegAtLearned.Bpp, 5);
                image["jpeg_at_learned_psnr"] = Number(jpegAtLearned.Psnr, 3);
                image["jpeg_at_learned_ms_ssim"] = Number(jpegAtLearned.MsSsim, 6);
                image["jpeg_at_learned_quality"] = jpegAtLearned.Quality;
                image["jpeg_at_learned_over_budget"] = jpegAtLearned.OverBudget;
            }

            if (row.WebpAtLearned is { } webpAtLearned)
            {
                image["webp_at_learned_bytes"] = webpAtLearned.Bytes;
                image["webp_at_learned_bpp"] = Number(webpAtLearned.Bpp, 5);
                image["webp_at_learned_psnr"] = Number(webpAtLearned.Psnr, 3);
                image["webp_at_learned_ms_ssim"] = Number(webpAtLearned.MsSsim, 6);
                image["webp_at_learned_quality"] = webpAtLearned.Quality;
                image["webp_at_learned_over_budget"] = webpAtLearned.OverBudget;
            }

            if (withWebp && row.Webp is { } webp)
            {
                image["webp_bytes"] = webp.Bytes;
                image["webp_bpp"] = Number(webp.Bpp, 5);
                image["webp_psnr"] = Number(webp.Psnr, 3);
                image["webp_ms_ssim"] = Number(webp.MsSsim, 6);
                image["webp_quality"] = webp.Quality;
                image["webp_over_budget"] = webp.OverBudget;
            }
            images.Add(image);
        }
        var result = new JsonObject
        {
            ["model"] = new JsonObject { ["version"] = codec.Version, ["fingerprint"] = VqfFormat.FormatFingerprint(codec.Fingerprint) },
            ["images"] = images,
            ["mean_psnr"] = Number(report.MeanPsnr, 3),
            ["mean_jpeg_psnr"] = Number(report.MeanJpegPsnr, 3),
            ["mean_bpp"] = Number(report.MeanBpp, 5),
            ["mean_baseline_bpp"] = Number(report.MeanBaselineBpp, 5),
            ["mean_learned_bpp"] = Number(report.MeanLearnedBpp, 5),
            ["mean_jpeg_bpp"] = Number(report.MeanJpegBpp, 5),
            ["mean_ms_ssim"] = Number(report.MeanMsSsim, 6),
            ["mean_jpeg_ms_ssim"] = Number(report.MeanJpegMsSsim, 6),
        };
        if (report.HasJpegAtLearned)
        {
            result["mean_jpeg_at_learned_bpp"] = Number(report.MeanJpegAtLearnedBpp, 5);
            result["mean_jpeg_at_learned_psnr"] = Number(report.MeanJpegAtLearnedPsnr, 3);
            result["mean_jpeg_at_learned_ms_ssim"] = Number(report.MeanJpegAtLearnedMsSsim, 6);
        }

        if (report.HasWebpAtLearned)
        {
            result["mean_webp_at_learned_bpp"] = Number(report.MeanWebpAtLearnedBpp, 5);
            result["mean_webp_at_learned_psnr"] = Number(report.MeanWebpAtLearnedPsnr, 3);
            result["mean_webp_at_learned_ms_ssim"] = Number(report.MeanWebpAtLearnedMsSsim, 6);
        }

        if (withWebp)
        {
            result["mean_webp_bpp"] = Number(report.MeanWebpBpp, 5);
            result["mean_webp_psnr"] = Number(report.MeanWebpPsnr, 3);
            result["mean_webp_ms_ssim"] = Number(report.MeanWebpMsSsim, 6);
        }
        result["codes_used"] = report.CodesUsed;
        result["codebook_size"] = report.CodebookSize;
        result["perplexity"] = Number(report.Perplexity, 1);
        return result;
    }

    /// <summary>Grid against JPEG (and WebP) at each image's own learned rate: entropy coding makes every rate different.</summary>
    private static void PrintAtLearnedRate(EvaluationReport report)
    {
        if (!report.HasJpegAtLearned)
        {
            return;
        }

        static string F(double value, string format) => double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table().Border(TableBorder.Simple).AddColumns("image");
        bool webp = report.HasWebpAtLearned;
        string[] columns = webp
            ? ["learned bpp", "Grid PSNR dB", "JPEG bpp", "JPEG PSNR dB", "JPEG q", "WebP bpp", "WebP PSNR dB", "WebP q"]
            : ["learned bpp", "Grid PSNR dB", "JPEG bpp", "JPEG PSNR dB", "JPEG q"];
        foreach (string column in columns)
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (ImageEvaluation row in report.Images)
        {
            BaselinePoint jpeg = row.JpegAtLearned!;
            var cells = new List<string>
            {
                Markup.Escape(row.Name), F(row.LearnedBpp, "F4"), F(row.Psnr, "F2"), F(jpeg.Bpp, "F4"), F(jpeg.Psnr, "F2"),
                jpeg.OverBudget ? $"{jpeg.Quality}*" : jpeg.Quality.ToString(CultureInfo.InvariantCulture),
            };
            if (webp)
            {
                BaselinePoint w = row.WebpAtLearned!;
                cells.AddRange([F(w.Bpp, "F4"), F(w.Psnr, "F2"), w.OverBudget ? $"{w.Quality}*" : w.Quality.ToString(CultureInfo.InvariantCulture)]);
            }

            table.AddRow(cells.ToArray());
        }

        var mean = new List<string>
        {
            "[bold]mean[/]", F(report.MeanLearnedBpp, "F4"), F(report.MeanPsnr, "F2"), F(report.MeanJpegAtLearnedBpp, "F4"), F(report.MeanJpegAtLearnedPsnr, "F2"), "",
        };
        if (webp)
        {
            mean.AddRange([F(report.MeanWebpAtLearnedBpp, "F4"), F(report.MeanWebpAtLearnedPsnr, "F2"), ""]);
        }

        table.AddRow(mean.ToArray());
        AnsiConsole.WriteLine("At each image's own learned (entropy-coded) size:");
        AnsiConsole.Write(table);
        int jpegWins = report.Images.Count(i => i.Psnr >= i.JpegAtLearned!.Psnr);
        int webpWins = webp ? report.Images.Count(i => i.Psnr >= i.WebpAtLearned!.Psnr) : 0;
        string webpText = webp ? $", at least WebP's on {webpWins}." : ".";
        AnsiConsole.WriteLine($"Grid's PSNR is at least JPEG's on {jpegWins} of {report.Images.Count} images at the learned rate{webpText}");
    }

    private static void PrintTable(EvaluationReport report, VqCodec codec, bool withWebp)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("image", "size");
        var columns = new List<string> { "bpp", "baseline bpp", "learned bpp", "PSNR dB", "MS-SSIM", "JPEG bpp", "JPEG PSNR dB", "JPEG MS-SSIM", "JPEG q" };
        if (withWebp)
        {
            columns.AddRange(["WebP bpp", "WebP PSNR dB", "WebP MS-SSIM", "WebP q"]);
        }
        foreach (string column in columns)
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }
        static string F(double value, string format) => double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);
        static string Quality(int quality, bool overBudget) =>
            overBudget ? $"{quality}*" : quality.ToString(CultureInfo.InvariantCulture);
        foreach (ImageEvaluation row in report.Images)
        {
            var cells = new List<string>
            {
                Markup.Escape(row.Name), $"{row.Width}x{row.Height}", F(row.Bpp, "F4"), F(row.BaselineBpp, "F4"), F(row.LearnedBpp, "F4"), F(row.Psnr, "F2"), F(row.MsSsim, "F4"),
                F(row.JpegBpp, "F4"), F(row.JpegPsnr, "F2"), F(row.JpegMsSsim, "F4"), row.JpegQuality == 0 ? "-" : Quality(row.JpegQuality, row.JpegOverBudget),
            };
            if (withWebp)
            {
                BaselinePoint? webp = row.Webp;
                cells.AddRange([F(webp?.Bpp ?? double.NaN, "F4"), F(webp?.Psnr ?? double.NaN, "F2"), F(webp?.MsSsim ?? double.NaN, "F4"),
                    webp is null ? "-" : Quality(webp.Quality, webp.OverBudget)]);
            }
            table.AddRow(cells.ToArray());
        }
        table.AddEmptyRow();
        var mean = new List<string>
        {
            "[bold]mean[/]", $"{report.Images.Count} images", F(report.MeanBpp, "F4"), F(report.MeanBaselineBpp, "F4"), $"[bold]{F(report.MeanLearnedBpp, "F4")}[/]", $"[bold]{F(report.MeanPsnr, "F2")}[/]", $"[bold]{F(report.MeanMsSsim, "F4")}[/]",
            F(report.MeanJpegBpp, "F4"), F(report.MeanJpegPsnr, "F2"), F(report.MeanJpegMsSsim, "F4"), "",
        };
        if (withWebp)
        {
            mean.AddRange([F(report.MeanWebpBpp, "F4"), F(report.MeanWebpPsnr, "F2"), F(report.MeanWebpMsSsim, "F4"), ""]);
        }
        table.AddRow(mean.ToArray());
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model v{codec.Version} ({VqfFormat.FormatFingerprint(codec.Fingerprint)}): {report.CodesUsed} of {report.CodebookSize} codes used, perplexity {report.Perplexity:F0}"));
        AnsiConsole.WriteLine("bpp: fixed-rate frames (VQF v1); baseline / learned: the same indices entropy-coded (VQF v2, headers included), so PSNR and MS-SSIM are unchanged.");
        PrintAtLearnedRate(report);
        if (report.Images.Any(i => i.JpegOverBudget || i.Webp is { OverBudget: true }))
        {
            AnsiConsole.WriteLine("* the codec cannot get this small even at its lowest quality; its row shows that quality at a higher bpp.");
        }
        if (report.Images.Any(i => double.IsNaN(i.MsSsim)))
        {
            AnsiConsole.WriteLine($"MS-SSIM needs both sides at least {MsSsim.MinimumSide} px; '-' marks images below that, and a mean over them.");
        }
    }
}

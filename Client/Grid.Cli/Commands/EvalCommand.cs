using Grid.Contracts.Frames;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grid.Grains.Codec;
using Grid.Grains.Evaluation;
using Spectre.Console;

namespace Grid.Cli.Commands;

/// <summary><c>grid eval --data DIR [--model DIR] [--json]</c>: rate and distortion per image, against JPEG at equal rate.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Directory of images to evaluate (e.g. data/images/val)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table" };
        var noJpeg = new Option<bool>("--no-jpeg") { Description = "Skip the JPEG comparison" };
        Option<DirectoryInfo?> model = CommonOptions.Model();
        Option<string> device = CommonOptions.Device();
        Option<int> threads = CommonOptions.Threads();
        var command = new Command("eval", "Measure bpp and PSNR per image, with JPEG (TurboJPEG) at the same or lower bpp") { data, model, json, noJpeg, device, threads };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            IReadOnlyList<string> files = Evaluator.ImageFiles(parse.GetValue(data)!.FullName);
            using VqCodec codec = VqCodec.Load(CommonOptions.ModelPath(parse.GetValue(model)), parse.GetValue(device)!);
            bool asJson = parse.GetValue(json);
            EvaluationReport report = asJson
                ? Evaluator.Evaluate(codec, files, !parse.GetValue(noJpeg))
                : AnsiConsole.Progress().AutoClear(true).Start(context =>
                {
                    ProgressTask task = context.AddTask("evaluating", maxValue: files.Count);
                    return Evaluator.Evaluate(codec, files, !parse.GetValue(noJpeg), (done, row) =>
                    {
                        task.Value = done;
                        task.Description = row.Name;
                    });
                });
            if (asJson)
            {
                Console.WriteLine(ToJson(report, codec).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                PrintTable(report, codec);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static JsonObject ToJson(EvaluationReport report, VqCodec codec)
    {
        static JsonNode? Number(double value, int digits) => double.IsNaN(value) ? null : JsonValue.Create(Math.Round(value, digits));
        var images = new JsonArray();
        foreach (ImageEvaluation row in report.Images)
        {
            images.Add(new JsonObject
            {
                ["name"] = row.Name,
                ["width"] = row.Width,
                ["height"] = row.Height,
                ["bytes"] = row.FrameBytes,
                ["bpp"] = Number(row.Bpp, 5),
                ["psnr"] = Number(row.Psnr, 3),
                ["jpeg_bytes"] = row.JpegBytes,
                ["jpeg_bpp"] = Number(row.JpegBpp, 5),
                ["jpeg_psnr"] = Number(row.JpegPsnr, 3),
                ["jpeg_quality"] = row.JpegQuality,
                ["jpeg_over_budget"] = row.JpegOverBudget,
            });
        }
        return new JsonObject
        {
            ["model"] = new JsonObject { ["version"] = codec.Version, ["fingerprint"] = VqfFormat.FormatFingerprint(codec.Fingerprint) },
            ["images"] = images,
            ["mean_psnr"] = Number(report.MeanPsnr, 3),
            ["mean_jpeg_psnr"] = Number(report.MeanJpegPsnr, 3),
            ["mean_bpp"] = Number(report.MeanBpp, 5),
            ["mean_jpeg_bpp"] = Number(report.MeanJpegBpp, 5),
            ["codes_used"] = report.CodesUsed,
            ["codebook_size"] = report.CodebookSize,
            ["perplexity"] = Number(report.Perplexity, 1),
        };
    }

    private static void PrintTable(EvaluationReport report, VqCodec codec)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("image", "size");
        foreach (string column in new[] { "bpp", "PSNR dB", "JPEG bpp", "JPEG PSNR dB", "JPEG q" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }
        static string F(double value, string format) => double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);
        foreach (ImageEvaluation row in report.Images)
        {
            table.AddRow(Markup.Escape(row.Name), $"{row.Width}x{row.Height}", F(row.Bpp, "F4"), F(row.Psnr, "F2"),
                F(row.JpegBpp, "F4"), F(row.JpegPsnr, "F2"), row.JpegQuality == 0 ? "-" : row.JpegOverBudget ? $"{row.JpegQuality}*" : row.JpegQuality.ToString(CultureInfo.InvariantCulture));
        }
        table.AddEmptyRow();
        table.AddRow("[bold]mean[/]", $"{report.Images.Count} images", F(report.MeanBpp, "F4"), $"[bold]{F(report.MeanPsnr, "F2")}[/]",
            F(report.MeanJpegBpp, "F4"), F(report.MeanJpegPsnr, "F2"), "");
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model v{codec.Version} ({VqfFormat.FormatFingerprint(codec.Fingerprint)}): {report.CodesUsed} of {report.CodebookSize} codes used, perplexity {report.Perplexity:F0}"));
        if (report.Images.Any(i => i.JpegOverBudget))
        {
            AnsiConsole.WriteLine("* JPEG cannot get this small even at quality 1; its row shows quality 1 at a higher bpp.");
        }
    }
}

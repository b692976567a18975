using Grid.Contracts.Frames;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Grid.Grains.Codec;
using Grid.Grains.Evaluation;
using Grid.Grains.Imaging;
using Spectre.Console;

namespace Grid.Cli.Commands;

/// <summary>
/// <c>grid demo</c> (run by <c>./grid demo</c> after setup and data): compresses the held-out sample images and frames
/// of a sample video with the shipped model, prints rate, quality and speed, and writes a side-by-side PNG.
/// </summary>
public static class DemoCommand
{
    private static readonly string[] s_numericColumns = ["bytes", "bpp", "ratio", "PSNR dB", "JPEG PSNR dB"];

    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Prepared sample data (./grid data)", DefaultValueFactory = _ => new DirectoryInfo("data") };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Where to write the side-by-side PNG", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("run", "demo")) };
        var frames = new Option<int>("--frames") { Description = "Video frames to compress", DefaultValueFactory = _ => 48 };
        Option<DirectoryInfo?> model = CommonOptions.Model();
        Option<int> threads = CommonOptions.Threads();
        var command = new Command("demo", "Compress sample images and video frames with the shipped model and report bpp, PSNR, ratio, speed") { data, output, frames, model, threads };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            string root = parse.GetValue(data)!.FullName;
            string outputDirectory = parse.GetValue(output)!.FullName;
            using VqCodec codec = VqCodec.Load(CommonOptions.ModelPath(parse.GetValue(model)));
            AnsiConsole.MarkupLineInterpolated($"[bold]Grid codec demo[/]: model v{codec.Version} ({VqfFormat.FormatFingerprint(codec.Fingerprint)}), {codec.Config.CodebookSize} codes, one {codec.BitsPerIndex}-bit index per 4x4 block");

            IReadOnlyList<string> files = Evaluator.ImageFiles(Path.Combine(root, "images", "val"));
            AnsiConsole.MarkupLineInterpolated($"\n[bold]1. Held-out images[/] ({files.Count}, never seen in training) against JPEG at the same or lower size");
            EvaluationReport report = Evaluator.Evaluate(codec, files);
            var table = new Table().Border(TableBorder.Simple).AddColumns("image", "size");
            foreach (string column in s_numericColumns)
            {
                table.AddColumn(new TableColumn(column).RightAligned());
            }
            foreach (ImageEvaluation row in report.Images)
            {
                table.AddRow(Markup.Escape(row.Name), $"{row.Width}x{row.Height}", row.FrameBytes.ToString("N0", CultureInfo.InvariantCulture),
                    F(row.Bpp, "F4"), F(24 / row.Bpp, "F1") + "x", F(row.Psnr, "F2"), F(row.JpegPsnr, "F2") + (row.JpegOverBudget ? "*" : ""));
            }
            table.AddRow("[bold]mean[/]", "", "", F(report.MeanBpp, "F4"), F(24 / report.MeanBpp, "F1") + "x", $"[bold]{F(report.MeanPsnr, "F2")}[/]", F(report.MeanJpegPsnr, "F2"));
            AnsiConsole.Write(table);

            string video = Path.Combine(root, "video", "vtest.avi");
            AnsiConsole.MarkupLineInterpolated($"\n[bold]2. Video[/]: the first {parse.GetValue(frames)} frames of {Path.GetFileName(video)} as one stream");
            List<RgbImage> clip;
            using (VideoReader reader = VideoReader.Open(video, parse.GetValue(frames)))
            {
                clip = reader.Frames().ToList();
            }
            var clock = Stopwatch.StartNew();
            var encoded = new List<byte[]>();
            const int Batch = 8;
            for (int i = 0; i < clip.Count; i += Batch)
            {
                encoded.AddRange(codec.EncodeBatch(clip.Skip(i).Take(Batch).ToList()));
            }
            double encodeSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var decoded = new List<RgbImage>();
            for (int i = 0; i < encoded.Count; i += Batch)
            {
                decoded.AddRange(codec.DecodeBatch(encoded.Skip(i).Take(Batch).ToList()));
            }
            double decodeSeconds = clock.Elapsed.TotalSeconds;
            double videoPsnr = clip.Zip(decoded, ImageMetrics.Psnr).Average();
            long raw = (long)clip[0].Width * clip[0].Height * 3 * clip.Count;
            long stored = encoded.Sum(f => (long)f.Length);
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   {clip.Count} frames {clip[0].Width}x{clip[0].Height}: {raw / 1e6:F1} MB raw RGB -> {stored / 1e3:F1} kB of frames ({(double)raw / stored:F1}x), " +
                $"{ImageMetrics.BitsPerPixel(stored, clip[0].Width, clip[0].Height * clip.Count):F4} bpp, mean PSNR {videoPsnr:F2} dB"));
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   encode {clip.Count / encodeSeconds:F1} frames/s, decode {clip.Count / decodeSeconds:F1} frames/s (batches of {Batch}, {Grid.Grains.Native.NativeRuntime.Threads} CPU threads)"));

            Directory.CreateDirectory(outputDirectory);
            string sideBySide = Path.Combine(outputDirectory, "side-by-side.png");
            SideBySide.Write(sideBySide, codec, files.Take(3).Select(f => ImageFile.Read(f)).Append(clip[0]).ToList());
            AnsiConsole.MarkupLineInterpolated($"\n[bold]3. Side by side[/] (original | Grid | JPEG at the same or lower size): {sideBySide}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string F(double value, string format) => double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);
}

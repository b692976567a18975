using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Grid.Cli.Local;
using Grid.Client;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.Codec;
using Grid.Evaluation;
using Grid.Imaging;
using Grid.Storage.Streams;
using Spectre.Console;

namespace Grid.Cli.Commands;

/// <summary>
/// <c>grid demo</c> (what <c>./grid demo</c> runs after setup and data): the held-out images through the codec, then
/// the grid itself — a local Redis and silo (or <c>--server</c>), a sample video streamed in over the ingest WebSocket,
/// replayed, measured — and a side-by-side PNG.
/// </summary>
public static class DemoCommand
{
    private const string Stream = "demo-vtest";
    private static readonly string[] s_imageColumns = ["bytes", "bpp", "ratio", "PSNR dB", "JPEG PSNR dB"];

    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Prepared sample data (./grid data)", DefaultValueFactory = _ => new DirectoryInfo("data") };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Where the demo writes (side-by-side PNG, local grid state)", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("run", "demo")) };
        var frames = new Option<int>("--frames") { Description = "Video frames to stream", DefaultValueFactory = _ => 300 };
        Option<string?> server = new("--server") { Description = "Use this silo instead of starting a local Redis and silo" };
        Option<DirectoryInfo?> model = CommonOptions.Model();
        Option<int> threads = CommonOptions.Threads();
        var command = new Command("demo", "Compress held-out images, then stream a video through a local grid and replay it; report bpp, PSNR, ratio, speed")
        {
            data, output, frames, server, model, threads,
        };
        command.Subcommands.Add(RefreshDemoCommand.Create());
        command.SetAction(async (parse, cancellationToken) =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            string root = parse.GetValue(data)!.FullName;
            string outputDirectory = parse.GetValue(output)!.FullName;
            string modelDirectory = CommonOptions.ModelPath(parse.GetValue(model));
            Directory.CreateDirectory(outputDirectory);
            using VqCodec codec = VqCodec.Load(modelDirectory);
            AnsiConsole.MarkupLineInterpolated($"[bold]Grid demo[/]: model v{codec.Version} ({VqfFormat.FormatFingerprint(codec.Fingerprint)}), {codec.Config.CodebookSize} codes, one {codec.BitsPerIndex}-bit index per 4x4 block");

            IReadOnlyList<string> files = Evaluator.ImageFiles(Path.Combine(root, "images", "val"));
            ShowImages(codec, files);

            string video = Path.Combine(root, "video", "vtest.avi");
            int frameCount = parse.GetValue(frames);
            string? url = parse.GetValue(server);
            LocalGrid? local = null;
            try
            {
                if (url is null)
                {
                    AnsiConsole.MarkupLine("\n[bold]2. The grid[/]: a local Redis and silo");
                    local = await LocalGrid.StartAsync(Path.Combine(outputDirectory, "grid"), modelDirectory,
                        log: m => AnsiConsole.WriteLine("   " + m), cancellationToken: cancellationToken);
                    url = local.Silos[0].ToString();
                }
                else
                {
                    AnsiConsole.MarkupLineInterpolated($"\n[bold]2. The grid[/] at {url}");
                }
                string? apiKey = parse.GetValue(ServerOptions.ApiKey);
                if (local is not null)
                {
                    // What an operator does first: with the bootstrap admin key, make a key for the tenant that streams.
                    using var admin = new GridClient(new GridClientOptions { BaseAddress = new Uri(url), ApiKey = local.AdminKey });
                    CreatedApiKey created = await admin.CreateKeyAsync(StreamNames.DefaultTenant, name: "demo", cancellationToken: cancellationToken);
                    apiKey = created.Key;
                    AnsiConsole.WriteLine($"   created API key {created.Info.Id} for tenant '{created.Info.Tenant}' with the bootstrap admin key (grid keys create)");
                }
                await StreamVideoAsync(url, apiKey, local, video, frameCount, cancellationToken);
            }
            finally
            {
                if (local is not null)
                {
                    AnsiConsole.WriteLine("   stopping the local silo and Redis");
                    await local.DisposeAsync();
                }
            }

            string sideBySide = Path.Combine(outputDirectory, "side-by-side.png");
            RgbImage firstFrame;
            using (VideoReader reader = VideoReader.Open(video, 1))
            {
                firstFrame = reader.Frames().First();
            }
            SideBySide.Write(sideBySide, codec, files.Take(3).Select(f => ImageFile.Read(f)).Append(firstFrame).ToList());
            AnsiConsole.MarkupLineInterpolated($"\n[bold]3. Side by side[/] (original | Grid | JPEG at the same or lower size): {sideBySide}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static void ShowImages(VqCodec codec, IReadOnlyList<string> files)
    {
        AnsiConsole.MarkupLineInterpolated($"\n[bold]1. Held-out images[/] ({files.Count}, never seen in training) against JPEG at the same or lower size");
        EvaluationReport report = Evaluator.Evaluate(codec, files);
        var table = new Table().Border(TableBorder.Simple).AddColumns("image", "size");
        foreach (string column in s_imageColumns)
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
    }

    private static async Task StreamVideoAsync(string url, string? apiKey, LocalGrid? local, string video, int frameCount, CancellationToken cancellationToken)
    {
        using var client = new GridClient(new GridClientOptions { BaseAddress = new Uri(url), ApiKey = apiKey });
        string stream = local is null ? $"{Stream}-{DateTime.UtcNow:yyyyMMddHHmmss}" : Stream;

        // In: frames as raw PPM over the ingest WebSocket, pipelined so the silo batches them.
        var clock = Stopwatch.StartNew();
        int width = 0, height = 0, sent = 0, stored = 0;
        await using (IngestSession ingest = await client.OpenIngestAsync(stream, cancellationToken))
        {
            Task<int> acks = CountStoredAsync(ingest, cancellationToken);
            using (VideoReader reader = VideoReader.Open(video, frameCount))
            {
                foreach (RgbImage frame in reader.Frames())
                {
                    (width, height) = (frame.Width, frame.Height);
                    await ingest.SendAsync(sent, IngestFrameKind.Image, Ppm.Encode(frame), cancellationToken);
                    sent++;
                }
            }
            await ingest.CompleteAsync(cancellationToken);
            stored = await acks;
        }
        double ingestSeconds = clock.Elapsed.TotalSeconds;
        StreamInfo info = await client.GetStreamAsync(stream, cancellationToken)
            ?? throw new InvalidOperationException($"stream {stream} is missing after the upload");
        long raw = (long)width * height * 3 * info.Frames;
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   streamed {sent} frames of {Path.GetFileName(video)} ({width}x{height}) in {ingestSeconds:F1} s: {sent / ingestSeconds:F1} frames/s end to end (decode, upload, encode, store); {stored} stored"));

        // Out: the replay as frames (what a client stores) and decoded by the silo, compared with the source.
        clock.Restart();
        int replayed = 0;
        await foreach (StreamRecord _ in client.ReplayAsync(stream, null, null, PayloadFormat.Vqf, cancellationToken))
        {
            replayed++;
        }
        double replaySeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        double psnrSum = 0;
        int compared = 0;
        using (VideoReader reader = VideoReader.Open(video, frameCount))
        {
            using IEnumerator<RgbImage> originals = reader.Frames().GetEnumerator();
            await foreach (StreamRecord record in client.ReplayAsync(stream, null, null, PayloadFormat.Ppm, cancellationToken))
            {
                originals.MoveNext();
                psnrSum += ImageMetrics.Psnr(originals.Current, Ppm.Decode(record.Payload));
                compared++;
            }
        }
        double decodedSeconds = clock.Elapsed.TotalSeconds;
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   replayed {replayed} frames in {replaySeconds:F2} s ({replayed / replaySeconds:F0} frames/s as VQF); decoded by the silo: {compared / decodedSeconds:F1} frames/s"));

        string storage = $"{info.StoredBytes / 1e6:F2} MB of frames";
        if (local is not null)
        {
            using RedisConnection redis = RedisConnection.Connect(local.RedisEndpoint);
            StackExchange.Redis.RedisResult usage = await redis.Database.ExecuteAsync("MEMORY", "USAGE", $"grid:{{s:default:{stream}}}:frames", "SAMPLES", "0");
            storage += string.Create(CultureInfo.InvariantCulture, $" ({(long)usage / 1e6:F2} MB in Redis with its stream overhead)");
        }
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   stored: {storage} for {raw / 1e6:F1} MB of raw RGB: {(double)raw / info.StoredBytes:F1}x smaller, {info.StoredBytes * 8.0 / ((double)width * height * info.Frames):F4} bpp; mean PSNR {psnrSum / compared:F2} dB"));
    }

    private static async Task<int> CountStoredAsync(IngestSession ingest, CancellationToken cancellationToken)
    {
        int stored = 0;
        await foreach (IngestAck ack in ingest.ReadAcksAsync(cancellationToken))
        {
            if (ack.Status == "error")
            {
                throw new InvalidOperationException($"the silo refused frame {ack.Sequence}: {ack.Code}: {ack.Message}");
            }
            stored += ack.Status == "stored" ? 1 : 0;
        }
        return stored;
    }

    private static string F(double value, string format) => double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);
}

using System.CommandLine;
using System.Globalization;
using Grid.Cli.Display;
using Grid.Cli.Streaming;
using Grid.Client;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.Imaging;

namespace Grid.Cli.Commands.Streams;

/// <summary>
/// <c>grid stream push SOURCE --stream ID</c>: appends a video's frames, a folder of images or one image to a stream
/// with sequence numbers start-seq, start-seq + 1, ..., so a re-run after an interruption stores only what is missing
/// (the rest answers "duplicate").
/// </summary>
public static class PushCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "A video file, a folder of images (sorted by name), or one image" };
        Option<string> stream = ServerOptions.Stream();
        Option<string> server = ServerOptions.Server();
        Option<string?> tenant = ServerOptions.Tenant();
        var startSequence = new Option<long>("--start-seq") { Description = "Sequence number of the first frame", DefaultValueFactory = _ => 0 };
        var fpsLimit = new Option<double?>("--fps-limit") { Description = "Send at most this many frames per second (pace a camera-like feed)" };
        var ingest = new Option<string>("--ingest") { Description = "ws: one pipelined WebSocket (fastest); http: one POST per frame", DefaultValueFactory = _ => "ws" };
        ingest.AcceptOnlyFromAmong("ws", "http");
        var uploadFormat = new Option<string>("--upload-format")
        {
            Description = "How video frames travel to the silo: png (half the bytes, CPU to encode), ppm (raw, no encoding), auto (ppm to a silo on this machine, else png)",
            DefaultValueFactory = _ => "auto",
        };
        uploadFormat.AcceptOnlyFromAmong("auto", "png", "ppm");
        Option<string?> quality = QualityOption.Create(null, "default: the stream's own (that of its last frame; standard for a new stream)");
        var command = new Command("push", "Append a video, a folder of images or an image to a stream (idempotent: re-runs report duplicates)")
        {
            source, stream, server, tenant, startSequence, fpsLimit, ingest, uploadFormat, quality,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string streamName = ServerOptions.CheckStream(parse.GetValue(stream)!);
            long first = parse.GetValue(startSequence);
            if (first < 0)
            {
                throw new ArgumentException($"--start-seq must be 0 or more (got {first})");
            }
            double? limit = parse.GetValue(fpsLimit);
            if (limit is <= 0 or double.NaN)
            {
                throw new ArgumentException($"--fps-limit must be above 0 (got {limit})");
            }
            FrameQuality? level = QualityOption.Parse(parse.GetValue(quality));
            using GridClient client = ServerOptions.CreateClient(parse, parse.GetValue(server)!, parse.GetValue(tenant));
            ImageFileFormat frameFormat = parse.GetValue(uploadFormat) switch
            {
                "ppm" => ImageFileFormat.Ppm,
                "png" => ImageFileFormat.Png,
                _ => client.BaseAddress.IsLoopback ? ImageFileFormat.Ppm : ImageFileFormat.Png,
            };
            using IFrameSource frames = FrameSources.Open(parse.GetValue(source)!, frameFormat);
            var stats = new PushStats();
            string transport;
            await using (IFramePusher pusher = parse.GetValue(ingest) == "http"
                ? new HttpPusher(client, streamName, level, stats.OnOutcome)
                : await WebSocketPusher.OpenAsync(client, streamName, level, stats.OnOutcome, cancellationToken))
            {
                transport = pusher.Transport;
                try
                {
                    await PushDisplay.RunAsync($"{client.Tenant}/{streamName}", frames.Count, stats,
                        () => PushRunner.RunAsync(frames, pusher, first, limit, stats, cancellationToken));
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    Console.Error.WriteLine(
                        $"grid: interrupted after {stats.Acknowledged} acknowledged frames; run the same command again to continue (stored frames answer 'duplicate')");
                    throw;
                }
            }
            stats.Clock.Stop();
            StreamInfo? info = await client.GetStreamAsync(streamName, cancellationToken);
            Console.WriteLine(Summary(frames.Description, $"{client.Tenant}/{streamName}", transport, stats, info));
            if (stats.FirstRefusal is { } refusal)
            {
                Console.Error.WriteLine($"grid: {refusal}");
                return ExitCodes.ServerError;
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Summary(string source, string target, string transport, PushStats stats, StreamInfo? info)
    {
        var line = new System.Text.StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"pushed {stats.Acknowledged} frames from {source} to {target} over {transport} in {stats.Clock.Elapsed.TotalSeconds:F2} s ({stats.FramesPerSecond:F1} frames/s): " +
            $"{stats.Stored} stored, {stats.Duplicates} duplicates"));
        if (stats.Refused > 0)
        {
            line.Append(CultureInfo.InvariantCulture, $", {stats.Refused} refused");
        }
        line.Append(CultureInfo.InvariantCulture, $"; sent {Sizes.Format(stats.UploadedBytes)}");
        long accepted = stats.Stored + stats.Duplicates;
        if (info is { Width: > 0, Height: > 0 } && accepted > 0 && stats.StoredBytes > 0)
        {
            long raw = accepted * info.Width * info.Height * 3;
            line.Append(CultureInfo.InvariantCulture,
                $", raw RGB {Sizes.Format(raw)} -> stored {Sizes.Format(stats.StoredBytes)} ({(double)raw / stats.StoredBytes:F1}x smaller)");
        }
        else
        {
            line.Append(CultureInfo.InvariantCulture, $", stored {Sizes.Format(stats.StoredBytes)}");
        }
        return line.ToString();
    }
}

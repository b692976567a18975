using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Grid.Cli.Local;
using Grid.Client;
using Grid.Codec;
using Grid.Imaging;
using Spectre.Console;

namespace Grid.Cli.Commands;

/// <summary>
/// <c>grid bench grid</c>: encode throughput through the HTTP API with N concurrent clients against the same model's
/// in-process batch throughput, measured in the same run; prints the ratio, the silo's mean batch size, and p50/p99
/// latency. Without <c>--server</c> it starts a local Redis and silo.
/// </summary>
public static class BenchGridCommand
{
    public static Command Create()
    {
        var clients = new Option<int[]>("--clients") { Description = "Concurrent clients per measurement", DefaultValueFactory = _ => [1, 4, 16, 32], AllowMultipleArgumentsPerToken = true };
        var size = new Option<int>("--size") { Description = "Square image side", DefaultValueFactory = _ => 128 };
        var seconds = new Option<double>("--seconds") { Description = "Timed seconds per measurement", DefaultValueFactory = _ => 10 };
        var maxBatch = new Option<int>("--max-batch") { Description = "The local silo's MaxBatch (and the in-process batch size)", DefaultValueFactory = _ => 16 };
        Option<string?> server = new("--server") { Description = "Measure this silo instead of a local one (its model must be --model's for a fair ratio)" };
        var json = new Option<bool>("--json") { Description = "Print JSON lines" };
        Option<DirectoryInfo?> model = CommonOptions.Model();
        Option<int> threads = CommonOptions.Threads();
        Option<string> device = CommonOptions.Device();
        Option<string> precision = CommonOptions.Precision();
        Option<int> deviceBatch = CommonOptions.DeviceBatch();
        var command = new Command("grid", "HTTP encode throughput with N clients vs in-process batches of the same model, with batch size and latency")
        {
            clients, size, seconds, maxBatch, server, json, model, threads, device, precision, deviceBatch,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            int threadCount = parse.GetValue(threads);
            CommonOptions.ApplyThreads(threadCount);
            string precisionName = parse.GetValue(precision)!;
            int passSize = parse.GetValue(deviceBatch);
            CommonOptions.ApplyInference(precisionName, passSize);
            string deviceName = parse.GetValue(device)!;
            int side = parse.GetValue(size);
            int batch = parse.GetValue(maxBatch);
            double duration = parse.GetValue(seconds);
            bool asJson = parse.GetValue(json);
            string modelDirectory = CommonOptions.ModelPath(parse.GetValue(model));
            Action<string> say = asJson ? _ => { } : m => AnsiConsole.WriteLine(m);

            RgbImage[] images = Enumerable.Range(0, batch).Select(i => Picture(side, i)).ToArray();
            // Kept loaded: the in-process rate is measured again right before each HTTP row, with the silo running, so
            // that both sides of a ratio see the same machine (a shared VM's speed drifts within a run).
            using VqCodec codec = VqCodec.Load(modelDirectory, deviceName);
            say($"in-process: batches of {batch} images {side}x{side} on {codec.Model.Device} ({precisionName}), {threadCount} threads, model v{codec.Version}");

            LocalGrid? local = null;
            string? url = parse.GetValue(server);
            try
            {
                if (url is null)
                {
                    local = await LocalGrid.StartAsync(Path.Combine(ModelLocator.RepositoryRoot() ?? ".", "run", "bench-grid"), modelDirectory,
                        siloSettings: [$"MaxBatch={batch}", $"CodecThreads={threadCount}", $"Device={deviceName}", $"Precision={precisionName}", $"DeviceBatch={passSize}"], log: m => say("  " + m), cancellationToken: cancellationToken);
                    url = local.Silos[0].ToString();
                }
                byte[] upload = Ppm.Encode(images[0]);
                using var http = new HttpClient { BaseAddress = new Uri(url) };
                using var client = new GridClient(http, new GridClientOptions { MaxRetries = 0, Timeout = TimeSpan.FromSeconds(60), ApiKey = local?.AdminKey ?? parse.GetValue(ServerOptions.ApiKey) });
                await client.EncodeAsync(upload, cancellationToken); // warm-up: first request loads code paths
                var rows = new List<Row>();
                foreach (int n in parse.GetValue(clients)!)
                {
                    double inProcess = MeasureInProcess(codec, images, duration);
                    say(string.Create(CultureInfo.InvariantCulture, $"in-process: {inProcess:F1} images/s"));
                    say($"HTTP: {n} concurrent clients posting {side}x{side} PPM images to {url}v1/encode for {duration:F0} s");
                    (double Sum, double Count) before = await BatchStatsAsync(http, cancellationToken);
                    (int done, int refused, List<double> latencies, double elapsed) = await RunClientsAsync(client, upload, n, duration, cancellationToken);
                    (double Sum, double Count) after = await BatchStatsAsync(http, cancellationToken);
                    latencies.Sort();
                    double meanBatch = after.Count > before.Count ? (after.Sum - before.Sum) / (after.Count - before.Count) : 0;
                    var row = new Row(n, done / elapsed, inProcess, done / elapsed / inProcess, meanBatch, Percentile(latencies, 0.5), Percentile(latencies, 0.99), refused);
                    rows.Add(row);
                    say(string.Create(CultureInfo.InvariantCulture,
                        $"  {row.ImagesPerSecond:F1} images/s ({row.Ratio:F2} of in-process), mean batch {row.MeanBatch:F1}, p50 {row.P50Ms:F0} ms, p99 {row.P99Ms:F0} ms{(refused > 0 ? $", {refused} refused (429)" : "")}"));
                }
                if (asJson)
                {
                    foreach (Row r in rows)
                    {
                        Console.WriteLine(new JsonObject
                        {
                            ["clients"] = r.Clients, ["size"] = side, ["threads"] = threadCount, ["max_batch"] = batch,
                            ["images_per_s"] = Math.Round(r.ImagesPerSecond, 2), ["in_process_images_per_s"] = Math.Round(r.InProcess, 2),
                            ["ratio"] = Math.Round(r.Ratio, 3), ["mean_batch"] = Math.Round(r.MeanBatch, 2),
                            ["p50_ms"] = Math.Round(r.P50Ms, 1), ["p99_ms"] = Math.Round(r.P99Ms, 1), ["refused"] = r.Refused,
                        }.ToJsonString());
                    }
                }
                else
                {
                    PrintTable(rows, side, batch, threadCount);
                }
            }
            finally
            {
                if (local is not null)
                {
                    await local.DisposeAsync();
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private sealed record Row(int Clients, double ImagesPerSecond, double InProcess, double Ratio, double MeanBatch, double P50Ms, double P99Ms, int Refused);

    private static double MeasureInProcess(VqCodec codec, RgbImage[] images, double seconds)
    {
        codec.EncodeBatch(images);
        codec.EncodeBatch(images);
        int batches = 0;
        var clock = Stopwatch.StartNew();
        while (batches < 3 || clock.Elapsed.TotalSeconds < seconds)
        {
            codec.EncodeBatch(images);
            batches++;
        }
        return batches * images.Length / clock.Elapsed.TotalSeconds;
    }

    private static async Task<(int Done, int Refused, List<double> LatenciesMs, double Seconds)> RunClientsAsync(
        GridClient client, byte[] upload, int clients, double seconds, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        int done = 0, refused = 0;
        var clock = Stopwatch.StartNew();
        TimeSpan end = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            var mine = new List<double>();
            while (clock.Elapsed < end)
            {
                long start = Stopwatch.GetTimestamp();
                try
                {
                    await client.EncodeAsync(upload, cancellationToken);
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    Interlocked.Increment(ref done);
                }
                catch (GridApiException e) when ((int)e.StatusCode == 429)
                {
                    Interlocked.Increment(ref refused);
                    await Task.Delay(e.RetryAfter ?? TimeSpan.FromMilliseconds(50), cancellationToken);
                }
            }
            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        }));
        return (done, refused, latencies, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Sum and count of the silo's <c>grid_codec_batch_size</c> histogram, from /metrics.</summary>
    private static async Task<(double Sum, double Count)> BatchStatsAsync(HttpClient http, CancellationToken cancellationToken)
    {
        string metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        double sum = 0, count = 0;
        foreach (string line in metrics.Split('\n'))
        {
            if (line.StartsWith("grid_codec_batch_size_sum", StringComparison.Ordinal))
            {
                sum = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("grid_codec_batch_size_count", StringComparison.Ordinal))
            {
                count = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return (sum, count);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static RgbImage Picture(int side, int seed)
    {
        var random = new Random(seed);
        var image = new RgbImage(side, side);
        for (int i = 0; i < image.Pixels.Length; i++)
        {
            image.Pixels[i] = (byte)((i / 3 % side * 2) + random.Next(24));
        }
        return image;
    }

    private static void PrintTable(List<Row> rows, int side, int batch, int threads)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("clients");
        foreach (string column in new[] { "HTTP img/s", "in-process img/s", "ratio", "mean batch", "p50 ms", "p99 ms", "429s" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }
        foreach (Row r in rows)
        {
            table.AddRow(r.Clients.ToString(CultureInfo.InvariantCulture), r.ImagesPerSecond.ToString("F1", CultureInfo.InvariantCulture),
                r.InProcess.ToString("F1", CultureInfo.InvariantCulture), r.Ratio.ToString("F2", CultureInfo.InvariantCulture),
                r.MeanBatch.ToString("F1", CultureInfo.InvariantCulture), r.P50Ms.ToString("F0", CultureInfo.InvariantCulture),
                r.P99Ms.ToString("F0", CultureInfo.InvariantCulture), r.Refused.ToString(CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"{side}x{side} PPM uploads; in-process = the same model encoding batches of {batch} in this process, measured right before each row; silo MaxBatch {batch}, {threads} codec threads.");
    }
}

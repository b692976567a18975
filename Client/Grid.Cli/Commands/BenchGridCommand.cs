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
/// in-process batch throughput (the same lanes and threads as the silo's codec), measured in alternating windows of
/// one run so that both sides see the same machine; prints the ratio, the silo's mean batch size, and p50/p99
/// latency. Without <c>--server</c> it starts a local Redis and silo.
/// </summary>
public static class BenchGridCommand
{
    public static Command Create()
    {
        var clients = new Option<int[]>("--clients") { Description = "Concurrent clients per measurement", DefaultValueFactory = _ => [1, 4, 16, 32, 64], AllowMultipleArgumentsPerToken = true };
        var size = new Option<int>("--size") { Description = "Square image side", DefaultValueFactory = _ => 128 };
        var seconds = new Option<double>("--seconds") { Description = "Timed seconds per measurement and side (split over --rounds windows)", DefaultValueFactory = _ => 10 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating in-process/HTTP windows per measurement", DefaultValueFactory = _ => 4 };
        var warmup = new Option<double>("--warmup") { Description = "Untimed seconds of HTTP load before each measurement (JIT, connections, batch sizes settle)", DefaultValueFactory = _ => 3 };
        var lanes = new Option<int>("--lanes") { Description = "Codec lanes, in process and in the local silo (default 0: one per thread on cpu, 1 on cuda)", DefaultValueFactory = _ => 0 };
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
            clients, size, seconds, rounds, warmup, lanes, maxBatch, server, json, model, threads, device, precision, deviceBatch,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            int threadCount = parse.GetValue(threads);
            string deviceName = parse.GetValue(device)!;
            int laneCount = parse.GetValue(lanes);
            int windows = parse.GetValue(rounds);
            double warmupSeconds = parse.GetValue(warmup);
            if (laneCount < 0 || laneCount > 64 || windows < 1 || warmupSeconds < 0)
            {
                throw new ArgumentException($"--lanes must be 0..64, --rounds at least 1 and --warmup at least 0 (got {laneCount}, {windows} and {warmupSeconds})");
            }
            laneCount = laneCount > 0 ? laneCount : deviceName.StartsWith("cuda", StringComparison.Ordinal) ? 1 : threadCount;
            int threadsPerLane = Math.Max(1, threadCount / laneCount); // as the silo splits CodecThreads over CodecLanes
            CommonOptions.ApplyThreads(threadsPerLane);
            string precisionName = parse.GetValue(precision)!;
            int passSize = parse.GetValue(deviceBatch);
            CommonOptions.ApplyInference(precisionName, passSize);
            int side = parse.GetValue(size);
            int batch = parse.GetValue(maxBatch);
            double duration = parse.GetValue(seconds);
            bool asJson = parse.GetValue(json);
            string modelDirectory = CommonOptions.ModelPath(parse.GetValue(model));
            Action<string> say = asJson ? _ => { } : m => AnsiConsole.WriteLine(m);

            RgbImage[] images = Enumerable.Range(0, batch).Select(i => Picture(side, i)).ToArray();
            // Kept loaded: the in-process rate is measured in windows alternating with the HTTP ones, with the silo
            // running, so that both sides of a ratio see the same machine (a shared VM's speed drifts within a run).
            VqCodec[] codecs = [.. Enumerable.Range(0, laneCount).Select(_ => VqCodec.Load(modelDirectory, deviceName))];
            using var disposeCodecs = new CodecSet(codecs);
            say($"in-process: {laneCount} lanes of batches of {batch} images {side}x{side} on {codecs[0].Model.Device} ({precisionName}), {threadsPerLane} threads each, model v{codecs[0].Version}");

            LocalGrid? local = null;
            string? url = parse.GetValue(server);
            try
            {
                if (url is null)
                {
                    local = await LocalGrid.StartAsync(Path.Combine(ModelLocator.RepositoryRoot() ?? ".", "run", "bench-grid"), modelDirectory,
                        siloSettings: [$"MaxBatch={batch}", $"CodecThreads={threadCount}", $"CodecLanes={laneCount}", $"Device={deviceName}", $"Precision={precisionName}", $"DeviceBatch={passSize}"], log: m => say("  " + m), cancellationToken: cancellationToken);
                    url = local.Silos[0].ToString();
                }
                byte[] upload = Ppm.Encode(images[0]);
                using var http = new HttpClient { BaseAddress = new Uri(url) };
                using var client = new GridClient(http, new GridClientOptions { MaxRetries = 0, Timeout = TimeSpan.FromSeconds(60), ApiKey = local?.AdminKey ?? parse.GetValue(ServerOptions.ApiKey) });
                await client.EncodeAsync(upload, cancellationToken); // warm-up: first request loads code paths
                var rows = new List<Row>();
                foreach (int n in parse.GetValue(clients)!)
                {
                    say(string.Create(CultureInfo.InvariantCulture,
                        $"{n} concurrent clients posting {side}x{side} PPM images to {url}v1/encode: {windows} windows of {duration / windows:F1} s, each after an in-process window as long"));
                    if (warmupSeconds > 0)
                    {
                        await RunClientsAsync(client, upload, n, warmupSeconds, cancellationToken);
                    }
                    double inProcessImages = 0, inProcessSeconds = 0, httpSeconds = 0;
                    int done = 0, refused = 0;
                    var latencies = new List<double>();
                    (double Sum, double Count) before = await BatchStatsAsync(http, cancellationToken);
                    for (int w = 0; w < windows; w++)
                    {
                        (int images, double seconds) inProcessWindow = MeasureInProcess(codecs, images, duration / windows);
                        inProcessImages += inProcessWindow.images;
                        inProcessSeconds += inProcessWindow.seconds;
                        (int windowDone, int windowRefused, List<double> windowLatencies, double elapsed) = await RunClientsAsync(client, upload, n, duration / windows, cancellationToken);
                        done += windowDone;
                        refused += windowRefused;
                        latencies.AddRange(windowLatencies);
                        httpSeconds += elapsed;
                        say(string.Create(CultureInfo.InvariantCulture, $"  window {w + 1}: in-process {inProcessWindow.images / inProcessWindow.seconds:F1}, HTTP {windowDone / elapsed:F1} images/s"));
                    }
                    (double Sum, double Count) after = await BatchStatsAsync(http, cancellationToken);
                    latencies.Sort();
                    double meanBatch = after.Count > before.Count ? (after.Sum - before.Sum) / (after.Count - before.Count) : 0;
                    double inProcess = inProcessImages / inProcessSeconds;
                    var row = new Row(n, done / httpSeconds, inProcess, done / httpSeconds / inProcess, meanBatch, Percentile(latencies, 0.5), Percentile(latencies, 0.99), refused);
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
                            ["clients"] = r.Clients, ["size"] = side, ["threads"] = threadCount, ["lanes"] = laneCount, ["max_batch"] = batch,
                            ["images_per_s"] = Math.Round(r.ImagesPerSecond, 2), ["in_process_images_per_s"] = Math.Round(r.InProcess, 2),
                            ["ratio"] = Math.Round(r.Ratio, 3), ["mean_batch"] = Math.Round(r.MeanBatch, 2),
                            ["p50_ms"] = Math.Round(r.P50Ms, 1), ["p99_ms"] = Math.Round(r.P99Ms, 1), ["refused"] = r.Refused,
                        }.ToJsonString());
                    }
                }
                else
                {
                    PrintTable(rows, side, batch, laneCount, threadsPerLane);
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

    /// <summary>
    /// Every lane's thread encodes batches of <paramref name="images"/> on its own codec for
    /// <paramref name="seconds"/> (after one untimed batch each); returns the images encoded and the seconds taken.
    /// </summary>
    private static (int Images, double Seconds) MeasureInProcess(VqCodec[] codecs, RgbImage[] images, double seconds)
    {
        int encoded = 0;
        using var ready = new Barrier(codecs.Length + 1);
        Thread[] threads = [.. codecs.Select(codec => new Thread(() =>
        {
            codec.EncodeBatch(images);
            ready.SignalAndWait();
            var mine = Stopwatch.StartNew();
            int batches = 0;
            while (batches < 1 || mine.Elapsed.TotalSeconds < seconds)
            {
                codec.EncodeBatch(images);
                batches++;
            }
            Interlocked.Add(ref encoded, batches * images.Length);
        }) { IsBackground = true, Name = "bench lane" })];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }
        ready.SignalAndWait();
        var clock = Stopwatch.StartNew();
        foreach (Thread thread in threads)
        {
            thread.Join();
        }
        return (encoded, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Disposes the lanes' codecs.</summary>
    private sealed class CodecSet(VqCodec[] codecs) : IDisposable
    {
        public void Dispose()
        {
            foreach (VqCodec codec in codecs)
            {
                codec.Dispose();
            }
        }
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

    private static void PrintTable(List<Row> rows, int side, int batch, int lanes, int threadsPerLane)
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
        AnsiConsole.WriteLine($"{side}x{side} PPM uploads; in-process = the same model encoding batches of {batch} in this process on {lanes} lanes of {threadsPerLane} threads, in windows alternating with the HTTP ones; silo MaxBatch {batch}, the same lanes and threads.");
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Grid.Cli.Display;
using Grid.Cli.Local;
using Grid.Client;
using Grid.Contracts.Api;
using Grid.Evaluation;
using Grid.Imaging;
using Spectre.Console;

namespace Grid.Cli.Commands;

/// <summary>
/// <c>grid demo refresh</c>: the training grain at work. A frame sequence unlike the training data (by default the
/// grayscale ViSP sequence data/sequences/mire-2, never trained on) is streamed through a grid in rounds; after each
/// round the trainer refreshes the codebook on what it sampled, and every tenth frame — never streamed, so never
/// sampled — is encoded by the new current version and scored. The table shows the PSNR of newly encoded frames rising
/// across versions, and the frames stored under the first version are checked to replay bit-identically at the end.
/// </summary>
public static class RefreshDemoCommand
{
    private const string Stream = "demo-refresh";
    private static readonly JsonSerializerOptions s_json = new(GridJson.Options) { WriteIndented = true };

    public static Command Create()
    {
        var frames = new Option<DirectoryInfo>("--frames") { Description = "Directory of frames (PNG/JPEG/PPM, in name order)", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("data", "sequences", "mire-2")) };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Where the results (refresh-demo.json) and the local grid's state go", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("run", "demo-refresh")) };
        var rounds = new Option<int>("--rounds") { Description = "Stream rounds, each followed by a refresh", DefaultValueFactory = _ => 3 };
        var probeEvery = new Option<int>("--probe-every") { Description = "Every Nth frame is held back from the stream and scored", DefaultValueFactory = _ => 10 };
        var steps = new Option<int>("--steps") { Description = "Local grid: fine-tuning steps per refresh", DefaultValueFactory = _ => 200 };
        var trainerThreads = new Option<int>("--trainer-threads") { Description = "Local grid: CPU threads of the refresh", DefaultValueFactory = _ => 1 };
        Option<string?> server = new("--server") { Description = "Use this silo (its trainer settings apply) instead of starting a local Redis and silo" };
        Option<DirectoryInfo?> model = CommonOptions.Model();
        var command = new Command("refresh", "Stream unseen content through a grid in rounds, refresh after each, and show newly encoded frames getting sharper")
        {
            frames, output, rounds, probeEvery, steps, trainerThreads, server, model,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            int roundCount = parse.GetValue(rounds), every = parse.GetValue(probeEvery), fineTune = parse.GetValue(steps), threads = parse.GetValue(trainerThreads);
            if (roundCount < 1 || every < 2 || fineTune < 0 || threads < 1)
            {
                throw new ArgumentException("--rounds must be at least 1, --probe-every at least 2, --steps 0 or more, --trainer-threads at least 1");
            }
            string source = parse.GetValue(frames)!.FullName;
            if (!Directory.Exists(source))
            {
                throw new DirectoryNotFoundException($"frames directory '{source}' does not exist (./grid data prepares data/sequences/mire-2)");
            }
            IReadOnlyList<string> files = Evaluator.ImageFiles(source);
            List<(int Index, string File)> probe = [.. files.Select((f, i) => (i, f)).Where(p => p.i % every == 0)];
            List<(int Index, string File)> streamed = [.. files.Select((f, i) => (i, f)).Where(p => p.i % every != 0)];
            if (streamed.Count < roundCount || probe.Count == 0)
            {
                throw new ArgumentException($"{files.Count} frames in '{source}' are too few for {roundCount} rounds with every {every}th frame held back");
            }
            string outputDirectory = parse.GetValue(output)!.FullName;
            Directory.CreateDirectory(outputDirectory);
            string? url = parse.GetValue(server);
            LocalGrid? local = null;
            try
            {
                if (url is null)
                {
                    string modelDirectory = CommonOptions.ModelPath(parse.GetValue(model));
                    AnsiConsole.MarkupLineInterpolated($"[bold]Grid refresh demo[/]: a local Redis and silo with {modelDirectory}");
                    local = await LocalGrid.StartAsync(Path.Combine(outputDirectory, "grid"), modelDirectory, siloSettings:
                    [
                        "Trainer:SampleEvery=1", "Trainer:HeldOutEvery=5", "Trainer:RefreshMinutes=0", "Trainer:StreamCapacity=1024",
                        "Trainer:HeldOutCapacity=256", "Trainer:FineTuneSteps=" + fineTune.ToString(CultureInfo.InvariantCulture),
                        "Trainer:Threads=" + threads.ToString(CultureInfo.InvariantCulture),
                    ], log: m => AnsiConsole.WriteLine("   " + m), cancellationToken: cancellationToken);
                    url = local.Silos[0].ToString();
                }
                else
                {
                    AnsiConsole.MarkupLineInterpolated($"[bold]Grid refresh demo[/] at {url}");
                }
                using var client = new GridClient(new GridClientOptions
                {
                    BaseAddress = new Uri(url),
                    Timeout = TimeSpan.FromMinutes(5),
                    ApiKey = local?.AdminKey ?? parse.GetValue(ServerOptions.ApiKey),
                });
                DemoResult result = await RunAsync(client, source, files.Count, probe, streamed, roundCount, cancellationToken);
                string json = Path.Combine(outputDirectory, "refresh-demo.json");
                await File.WriteAllTextAsync(json, JsonSerializer.Serialize(result, s_json), cancellationToken);
                AnsiConsole.WriteLine($"results: {json}");
                return result.OldFramesIdentical ? ExitCodes.Success : ExitCodes.Failure;
            }
            finally
            {
                if (local is not null)
                {
                    AnsiConsole.WriteLine("stopping the local silo and Redis");
                    await local.DisposeAsync();
                }
            }
        });
        return command;
    }

    private static async Task<DemoResult> RunAsync(GridClient client, string source, int frameCount, List<(int Index, string File)> probe,
        List<(int Index, string File)> streamed, int roundCount, CancellationToken cancellationToken)
    {
        string stream = $"{Stream}-{DateTime.UtcNow:yyyyMMddHHmmss}";
        AnsiConsole.WriteLine($"{frameCount} frames of {source}: {streamed.Count} streamed in {roundCount} rounds to stream '{stream}', {probe.Count} held back and scored after each refresh");
        RgbImage[] probeImages = [.. probe.Select(p => ImageFile.Read(p.File))];
        var rows = new List<DemoRow>();
        (double psnr, uint version) = await ProbeAsync(client, probeImages, cancellationToken);
        rows.Add(new DemoRow(version, null, null, null, null, 0, psnr, "the starting model"));
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"version {version}: newly encoded held-back frames {psnr:F2} dB"));

        int perRound = (streamed.Count + roundCount - 1) / roundCount;
        int sent = 0;
        string? firstRoundDigest = null;
        long firstRoundLast = -1;
        int firstRoundFrames = 0;
        for (int round = 0; round < roundCount; round++)
        {
            var chunk = streamed.Skip(round * perRound).Take(perRound).ToList();
            var clock = Stopwatch.StartNew();
            await PushAsync(client, stream, chunk, cancellationToken);
            sent += chunk.Count;
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: streamed {chunk.Count} frames ({sent} so far) in {clock.Elapsed.TotalSeconds:F1} s"));
            if (round == 0)
            {
                firstRoundLast = chunk[^1].Index;
                firstRoundFrames = chunk.Count;
                firstRoundDigest = await DecodedDigestAsync(client, stream, firstRoundLast, cancellationToken);
            }
            await WaitForSamplerAsync(client, cancellationToken);

            clock.Restart();
            RefreshCycle cycle = await client.RefreshAndWaitAsync(TimeSpan.FromMinutes(60), new Progress<RefreshCycle>(_ => { }), cancellationToken);
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {ModelTables.Outcome(cycle)} ({clock.Elapsed.TotalSeconds:F0} s)"));
            if (cycle.Status == CycleStatus.Published)
            {
                await WaitForCurrentAsync(client, cycle.Version!.Value, cancellationToken);
            }
            (psnr, version) = await ProbeAsync(client, probeImages, cancellationToken);
            rows.Add(new DemoRow(version, cycle.Id, cycle.Status, cycle.Metrics?.PsnrBefore, cycle.Metrics?.PsnrAfter, sent, psnr, cycle.Reason));
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   version {version}: newly encoded held-back frames {psnr:F2} dB"));
        }

        string finalDigest = await DecodedDigestAsync(client, stream, firstRoundLast, cancellationToken);
        bool identical = finalDigest == firstRoundDigest;
        var table = new Table().Border(TableBorder.Simple).AddColumns("version", "after", "frames streamed", "trainer held-out PSNR (parent -> new)", "held-back frames PSNR");
        foreach (DemoRow row in rows)
        {
            table.AddRow(
                string.Create(CultureInfo.InvariantCulture, $"v{row.Version}"),
                row.Cycle is { } id ? $"cycle {id} ({row.Status})" : "start",
                row.FramesStreamed.ToString(CultureInfo.InvariantCulture),
                row.TrainerPsnrBefore is { } before ? string.Create(CultureInfo.InvariantCulture, $"{before:F2} -> {row.TrainerPsnrAfter:F2} dB") : "-",
                string.Create(CultureInfo.InvariantCulture, $"{row.ProbePsnr:F2} dB"));
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine(identical
            ? $"the {firstRoundFrames} first-round frames (stored under v{rows[0].Version}) replay bit-identically after {roundCount} refresh{(roundCount == 1 ? "" : "es")}"
            : "MISMATCH: the first round's frames replay differently after the refreshes");
        return new DemoResult(source, frameCount, probe.Count, streamed.Count, roundCount, rows, identical);
    }

    /// <summary>Pushes frames over the ingest WebSocket, pipelined (the silo batches them) and stored in order.</summary>
    private static async Task PushAsync(GridClient client, string stream, List<(int Index, string File)> frames, CancellationToken cancellationToken)
    {
        await using IngestSession ingest = await client.OpenIngestAsync(stream, cancellationToken);
        Task<int> stored = CountStoredAsync(ingest, cancellationToken);
        foreach ((int index, string file) in frames)
        {
            await ingest.SendAsync(index, IngestFrameKind.Image, await File.ReadAllBytesAsync(file, cancellationToken), cancellationToken);
        }
        await ingest.CompleteAsync(cancellationToken);
        int count = await stored;
        if (count != frames.Count)
        {
            throw new InvalidOperationException($"the silo stored {count} of {frames.Count} frames");
        }
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

    /// <summary>Mean PSNR of the held-back frames encoded by the current model and decoded by the silo, and that version.</summary>
    private static async Task<(double Psnr, uint Version)> ProbeAsync(GridClient client, RgbImage[] images, CancellationToken cancellationToken)
    {
        double sum = 0;
        uint version = 0;
        foreach (RgbImage image in images)
        {
            Grid.Client.EncodeResult encoded = await client.EncodeAsync(Png.Encode(image, compressionLevel: 1), cancellationToken);
            version = encoded.ModelVersion;
            byte[] decoded = await client.DecodeAsync(encoded.Frame, ImageFormat.Ppm, cancellationToken);
            sum += ImageMetrics.Psnr(image, Ppm.Decode(decoded));
        }
        return (sum / images.Length, version);
    }

    /// <summary>SHA-256 over the stream's frames up to <paramref name="last"/>, decoded by the silo (each with its own version).</summary>
    private static async Task<string> DecodedDigestAsync(GridClient client, string stream, long last, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await foreach (StreamRecord frame in client.ReplayAsync(stream, 0, last, PayloadFormat.Ppm, cancellationToken))
        {
            hash.AppendData(frame.Payload);
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>Waits until the silo's sampler has written what it queued (its queue is empty twice in a row).</summary>
    private static async Task WaitForSamplerAsync(GridClient client, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = client.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        int empty = 0;
        for (int attempt = 0; attempt < 600 && empty < 2; attempt++)
        {
            string metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative), cancellationToken);
            empty = metrics.Contains("grid_train_sample_queue_depth 0\n", StringComparison.Ordinal) ? empty + 1 : 0;
            await Task.Delay(250, cancellationToken);
        }
    }

    private static async Task WaitForCurrentAsync(GridClient client, uint version, CancellationToken cancellationToken)
    {
        byte[] tiny = Png.Encode(new RgbImage(8, 8));
        for (int attempt = 0; attempt < 600; attempt++)
        {
            if ((await client.EncodeAsync(tiny, cancellationToken)).ModelVersion == version)
            {
                return;
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"the silo did not switch to version {version} within a minute");
    }

    private sealed record DemoRow(uint Version, long? Cycle, string? Status, double? TrainerPsnrBefore, double? TrainerPsnrAfter, int FramesStreamed, double ProbePsnr, string? Reason);

    private sealed record DemoResult(string Frames, int FrameCount, int HeldBack, int Streamed, int Rounds, IReadOnlyList<DemoRow> Versions, bool OldFramesIdentical);
}

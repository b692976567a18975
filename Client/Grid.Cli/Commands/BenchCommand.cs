using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grid.Grains.Codec;
using Grid.Grains.Imaging;
using Grid.Grains.Native;
using Spectre.Console;

namespace Grid.Cli.Commands;

/// <summary>
/// <c>grid bench codec</c>: encode and decode throughput of the codec (image to packed frame and back) at several
/// sizes and batch sizes, side by side with PyTorch running the same architecture in the same run.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks that print numbers");
        bench.Subcommands.Add(CreateCodec());
        bench.Subcommands.Add(BenchGridCommand.Create());
        return bench;
    }

    private static Command CreateCodec()
    {
        var sizes = new Option<int[]>("--sizes") { Description = "Square image sides", DefaultValueFactory = _ => [128, 256], AllowMultipleArgumentsPerToken = true };
        var batches = new Option<int[]>("--batches") { Description = "Batch sizes", DefaultValueFactory = _ => [1, 8, 32], AllowMultipleArgumentsPerToken = true };
        var seconds = new Option<double>("--seconds") { Description = "Minimum timed seconds per measurement", DefaultValueFactory = _ => 3 };
        var noPyTorch = new Option<bool>("--no-pytorch") { Description = "Skip the PyTorch yardstick" };
        var json = new Option<bool>("--json") { Description = "Print JSON lines instead of a table" };
        Option<DirectoryInfo?> model = CommonOptions.Model();
        Option<int> threads = CommonOptions.Threads();
        var command = new Command("codec", "Encode/decode images/s and megapixels/s at 128 and 256 px, batch 1, 8, 32, against PyTorch")
        {
            sizes, batches, seconds, noPyTorch, json, model, threads,
        };
        command.SetAction(parse =>
        {
            int threadCount = parse.GetValue(threads);
            CommonOptions.ApplyThreads(threadCount);
            double minimumSeconds = parse.GetValue(seconds);
            using VqCodec codec = VqCodec.Load(CommonOptions.ModelPath(parse.GetValue(model)));
            RuntimeInfo runtime = NativeRuntime.Info;
            bool asJson = parse.GetValue(json);
            if (!asJson)
            {
                AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"codec: model v{codec.Version}, libtorch {runtime.Torch}, BLAS {runtime.Blas}, {NativeRuntime.Threads} threads, {Environment.ProcessorCount} cores"));
            }
            var results = new List<Measurement>();
            foreach (int size in parse.GetValue(sizes)!)
            {
                foreach (int batch in parse.GetValue(batches)!)
                {
                    results.AddRange(MeasureGrid(codec, size, batch, minimumSeconds));
                    if (!asJson)
                    {
                        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  grid {size}x{size} batch {batch}: encode {results[^2].ImagesPerSecond:F1} img/s, decode {results[^1].ImagesPerSecond:F1} img/s"));
                    }
                }
            }
            Dictionary<(string, int, int), double>? pytorch = null;
            if (!parse.GetValue(noPyTorch))
            {
                pytorch = RunPyTorch(codec.Config, parse.GetValue(sizes)!, parse.GetValue(batches)!, threadCount, minimumSeconds, asJson);
            }
            if (asJson)
            {
                foreach (Measurement m in results)
                {
                    double? reference = pytorch is not null && pytorch.TryGetValue((m.Operation, m.Size, m.Batch), out double v) ? v : null;
                    Console.WriteLine(new JsonObject
                    {
                        ["op"] = m.Operation, ["size"] = m.Size, ["batch"] = m.Batch, ["threads"] = threadCount,
                        ["images_per_s"] = Math.Round(m.ImagesPerSecond, 2), ["megapixels_per_s"] = Math.Round(m.MegapixelsPerSecond, 3),
                        ["pytorch_images_per_s"] = reference is null ? null : Math.Round(reference.Value, 2),
                        ["ratio"] = reference is null ? null : Math.Round(m.ImagesPerSecond / reference.Value, 3),
                    }.ToJsonString());
                }
            }
            else
            {
                PrintTable(results, pytorch, threadCount);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private sealed record Measurement(string Operation, int Size, int Batch, double ImagesPerSecond)
    {
        public double MegapixelsPerSecond => ImagesPerSecond * Size * Size / 1e6;
    }

    private static Measurement[] MeasureGrid(VqCodec codec, int size, int batch, double minimumSeconds)
    {
        RgbImage[] images = Enumerable.Range(0, batch).Select(i => SyntheticImage(size, i)).ToArray();
        byte[][] frames = codec.EncodeBatch(images);
        double encode = Measure(() => codec.EncodeBatch(images), batch, minimumSeconds);
        double decode = Measure(() => codec.DecodeBatch(frames), batch, minimumSeconds);
        return [new("encode", size, batch, encode), new("decode", size, batch, decode)];
    }

    private static double Measure(Action run, int batch, double minimumSeconds)
    {
        run(); // warm-up: first calls allocate and pick kernels
        run();
        int repetitions = 0;
        var clock = Stopwatch.StartNew();
        while (repetitions < 3 || clock.Elapsed.TotalSeconds < minimumSeconds)
        {
            run();
            repetitions++;
        }
        return repetitions * batch / clock.Elapsed.TotalSeconds;
    }

    /// <summary>A smooth gradient with texture, so the benchmark does not run on constant or pure-noise input.</summary>
    private static RgbImage SyntheticImage(int size, int seed)
    {
        var image = new RgbImage(size, size);
        var random = new Random(seed);
        byte[] pixels = image.Pixels;
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                int o = ((y * size) + x) * 3;
                pixels[o] = (byte)((x * 255 / size) ^ random.Next(16));
                pixels[o + 1] = (byte)((y * 255 / size) ^ random.Next(16));
                pixels[o + 2] = (byte)(((x + y) * 127 / size) + random.Next(32));
            }
        }
        return image;
    }

    private static Dictionary<(string, int, int), double>? RunPyTorch(ModelConfig config, int[] sizes, int[] batches, int threads, double seconds, bool quiet)
    {
        string? root = ModelLocator.RepositoryRoot();
        string script = root is null ? "" : Path.Combine(root, "scripts", "bench_pytorch.py");
        const string Python = "/usr/bin/python3";
        if (config != new ModelConfig())
        {
            Console.Error.WriteLine($"bench: PyTorch yardstick skipped: it builds the default architecture, this model is {config}");
            return null;
        }
        if (!File.Exists(script) || !File.Exists(Python))
        {
            System.Console.Error.WriteLine("bench: PyTorch yardstick skipped (needs scripts/bench_pytorch.py and Debian's python3-torch; ./grid setup installs it)");
            return null;
        }
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[]
                 {
                     script, "--threads", threads.ToString(CultureInfo.InvariantCulture),
                     "--sizes", string.Join(',', sizes), "--batches", string.Join(',', batches),
                     "--min-seconds", seconds.ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(argument);
        }
        if (!quiet)
        {
            AnsiConsole.WriteLine("  running the PyTorch yardstick (same architecture, same threads)...");
        }
        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        var results = new Dictionary<(string, int, int), double>();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement e = document.RootElement;
            if (!e.TryGetProperty("impl", out JsonElement impl) || impl.GetString() != "pytorch")
            {
                continue;
            }
            results[(e.GetProperty("op").GetString()!, e.GetProperty("size").GetInt32(), e.GetProperty("batch").GetInt32())] =
                e.GetProperty("images_per_s").GetDouble();
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            System.Console.Error.WriteLine($"bench: PyTorch yardstick failed ({process.ExitCode}): {errors.Result.Trim()}");
            return null;
        }
        return results;
    }

    private static void PrintTable(List<Measurement> results, Dictionary<(string, int, int), double>? pytorch, int threads)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("op", "size", "batch");
        foreach (string column in new[] { "grid img/s", "grid MP/s", "PyTorch img/s", "grid / PyTorch" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }
        foreach (Measurement m in results)
        {
            double? reference = pytorch is not null && pytorch.TryGetValue((m.Operation, m.Size, m.Batch), out double v) ? v : null;
            table.AddRow(m.Operation, $"{m.Size}x{m.Size}", m.Batch.ToString(CultureInfo.InvariantCulture),
                m.ImagesPerSecond.ToString("F1", CultureInfo.InvariantCulture),
                m.MegapixelsPerSecond.ToString("F2", CultureInfo.InvariantCulture),
                reference?.ToString("F1", CultureInfo.InvariantCulture) ?? "-",
                reference is null ? "-" : (m.ImagesPerSecond / reference.Value).ToString("F2", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"threads: {threads}; grid = image -> packed VQF frame (encode) and frame -> image (decode), PyTorch = the same model's forward on uint8 tensors.");
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Grid.Codec;
using Grid.Imaging;
using Grid.Native;
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
        var sizes = new Option<string[]>("--sizes") { Description = "Image sizes: N (square) or WxH, e.g. 256 1920x1088", DefaultValueFactory = _ => ["128", "256"], AllowMultipleArgumentsPerToken = true };
        var batches = new Option<int[]>("--batches") { Description = "Batch sizes", DefaultValueFactory = _ => [1, 8, 32], AllowMultipleArgumentsPerToken = true };
        var seconds = new Option<double>("--seconds") { Description = "Minimum timed seconds per measurement", DefaultValueFactory = _ => 3 };
        var noPyTorch = new Option<bool>("--no-pytorch") { Description = "Skip the PyTorch yardstick" };
        var json = new Option<bool>("--json") { Description = "Print JSON lines instead of a table" };
        Option<DirectoryInfo?> model = CommonOptions.Model();
        Option<int> threads = CommonOptions.Threads();
        Option<string> device = CommonOptions.Device();
        Option<string> precision = CommonOptions.Precision();
        Option<int> deviceBatch = CommonOptions.DeviceBatch();
        var compile = new Option<string?>("--pytorch-compile") { Description = "Run the PyTorch yardstick under torch.compile with this mode (default, max-autotune-no-cudagraphs; PyTorch 2.x)" };
        var command = new Command("codec", "Encode/decode images/s and megapixels/s at 128 and 256 px, batch 1, 8, 32, against PyTorch")
        {
            sizes, batches, seconds, noPyTorch, json, model, threads, device, precision, deviceBatch, compile,
        };
        command.SetAction(parse =>
        {
            int threadCount = parse.GetValue(threads);
            CommonOptions.ApplyThreads(threadCount);
            string precisionName = parse.GetValue(precision)!;
            CommonOptions.ApplyInference(precisionName, parse.GetValue(deviceBatch));
            List<(int Width, int Height)> imageSizes = [.. parse.GetValue(sizes)!.Select(ParseSize)];
            double minimumSeconds = parse.GetValue(seconds);
            string deviceName = parse.GetValue(device)!;
            using VqCodec codec = VqCodec.Load(CommonOptions.ModelPath(parse.GetValue(model)), deviceName);
            RuntimeInfo runtime = NativeRuntime.Info;
            bool asJson = parse.GetValue(json);
            if (!asJson)
            {
                AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"codec: model v{codec.Version} on {codec.Model.Device} ({precisionName}), libtorch {runtime.Torch}, BLAS {runtime.Blas}, {NativeRuntime.Threads} threads, {Environment.ProcessorCount} cores"));
            }
            using PyTorchYardstick? pytorch = parse.GetValue(noPyTorch) ? null : PyTorchYardstick.Start(
                codec.Config, threadCount, new YardstickSettings(codec.Model.Device, precisionName, parse.GetValue(compile)));
            if (!asJson && pytorch is not null)
            {
                AnsiConsole.WriteLine($"  PyTorch yardstick: torch {pytorch.TorchVersion}, same architecture, same threads " +
                    $"(libtorch and {(pytorch.BlasLibrary is null ? "no OpenBLAS found" : "OpenBLAS")}), timed in alternating slices");
            }
            var results = new List<Measurement>();
            foreach ((int width, int height) in imageSizes)
            {
                foreach (int batch in parse.GetValue(batches)!)
                {
                    results.AddRange(MeasureSideBySide(codec, pytorch, width, height, batch, minimumSeconds));
                    if (!asJson)
                    {
                        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  {width}x{height} batch {batch}: encode {Describe(results[^2])}, decode {Describe(results[^1])}"));
                    }
                }
            }
            if (asJson)
            {
                foreach (Measurement m in results)
                {
                    double? reference = m.PyTorchImagesPerSecond;
                    Console.WriteLine(new JsonObject
                    {
                        ["op"] = m.Operation, ["size"] = m.SizeLabel, ["width"] = m.Width, ["height"] = m.Height,
                        ["batch"] = m.Batch, ["threads"] = threadCount, ["device"] = codec.Model.Device, ["precision"] = precisionName,
                        ["images_per_s"] = Math.Round(m.ImagesPerSecond, 2), ["megapixels_per_s"] = Math.Round(m.MegapixelsPerSecond, 3),
                        ["pytorch_images_per_s"] = reference is null ? null : Math.Round(reference.Value, 2),
                        ["ratio"] = m.Ratio is { } ratio ? Math.Round(ratio, 3) : null,
                        ["cpus"] = Math.Round(m.Cpus, 2),
                        ["pytorch_cpus"] = m.PyTorchCpus is { } cpus ? Math.Round(cpus, 2) : null,
                    }.ToJsonString());
                }
            }
            else
            {
                PrintTable(results, threadCount);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// A row of the benchmark. <see cref="Ratio"/> is the median of grid / PyTorch over adjacent slice pairs (a pair
    /// shares the machine's conditions better than the two medians do); the CPU figures are CPU seconds per wall
    /// second over all slices of that side.
    /// </summary>
    private sealed record Measurement(
        string Operation, int Width, int Height, int Batch, double ImagesPerSecond, double? PyTorchImagesPerSecond, double? Ratio,
        double Cpus, double? PyTorchCpus)
    {
        public double MegapixelsPerSecond => ImagesPerSecond * Width * Height / 1e6;

        public string SizeLabel => $"{Width}x{Height}";
    }

    /// <summary>"256" (square) or "1920x1088" (width x height), each side at least 1 and at most 16384.</summary>
    internal static (int Width, int Height) ParseSize(string text)
    {
        string[] parts = text.Split('x');
        if (parts.Length is 1 or 2
            && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int side) && side is >= 1 and <= 16384))
        {
            int width = int.Parse(parts[0], CultureInfo.InvariantCulture);
            return (width, parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : width);
        }
        throw new ArgumentException($"--sizes takes N or WxH with sides 1..16384 (got '{text}')");
    }

    private static string Describe(Measurement m) => m.PyTorchImagesPerSecond is { } reference
        ? string.Create(CultureInfo.InvariantCulture, $"{m.ImagesPerSecond:F1} img/s (PyTorch {reference:F1}, {m.Ratio:F2}x)")
        : string.Create(CultureInfo.InvariantCulture, $"{m.ImagesPerSecond:F1} img/s");

    /// <summary>How many alternating grid / PyTorch slices one measurement is split into.</summary>
    private const int Slices = 10;

    /// <summary>
    /// Times the grid codec and the PyTorch yardstick on the same work in alternating slices (grid, PyTorch, grid, ...),
    /// so that a burst of other work on a shared machine lands on both rather than on whichever ran second.
    /// </summary>
    private static Measurement[] MeasureSideBySide(VqCodec codec, PyTorchYardstick? pytorch, int width, int height, int batch, double minimumSeconds)
    {
        RgbImage[] images = Enumerable.Range(0, batch).Select(i => SyntheticImage(width, height, i)).ToArray();
        byte[][] frames = codec.EncodeBatch(images);
        return
        [
            Measure("encode", width, height, batch, () => codec.EncodeBatch(images), pytorch, minimumSeconds),
            Measure("decode", width, height, batch, () => codec.DecodeBatch(frames), pytorch, minimumSeconds),
        ];
    }

    /// <summary>
    /// Each side's throughput is the median over its slices: a slice that another process on the machine disturbed
    /// moves a mean, not a median.
    /// </summary>
    private static Measurement Measure(string operation, int width, int height, int batch, Action run, PyTorchYardstick? pytorch, double minimumSeconds)
    {
        run(); // warm-up: first calls allocate and pick kernels
        run();
        double slice = minimumSeconds / Slices;
        var grid = new List<double>(Slices);
        var reference = new List<double>(Slices);
        double gridWall = 0, gridCpu = 0, referenceWall = 0, referenceCpu = 0;
        for (int i = 0; i < Slices; i++)
        {
            int calls = 0;
            TimeSpan cpuStart = Environment.CpuUsage.TotalTime;
            long start = Stopwatch.GetTimestamp();
            do
            {
                run();
                calls++;
            }
            while (Stopwatch.GetElapsedTime(start).TotalSeconds < slice);
            double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
            gridCpu += (Environment.CpuUsage.TotalTime - cpuStart).TotalSeconds;
            gridWall += wall;
            grid.Add(calls * batch / wall);
            if (pytorch is not null)
            {
                (int n, double spent, double cpu) = pytorch.Time(operation, width, height, batch, slice);
                reference.Add(n * batch / spent);
                referenceWall += spent;
                referenceCpu += cpu;
            }
        }
        double? ratio = pytorch is null ? null : Median(grid.Zip(reference, (g, r) => g / r));
        return new(operation, width, height, batch, Median(grid), pytorch is null ? null : Median(reference), ratio,
            gridCpu / gridWall, pytorch is null ? null : referenceCpu / referenceWall);
    }

    private static double Median(IEnumerable<double> values)
    {
        List<double> sorted = [.. values.Order()];
        int middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>A smooth gradient with texture, so the benchmark does not run on constant or pure-noise input.</summary>
    private static RgbImage SyntheticImage(int width, int height, int seed)
    {
        var image = new RgbImage(width, height);
        var random = new Random(seed);
        byte[] pixels = image.Pixels;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int o = ((y * width) + x) * 3;
                pixels[o] = (byte)((x * 255 / width) ^ random.Next(16));
                pixels[o + 1] = (byte)((y * 255 / height) ^ random.Next(16));
                pixels[o + 2] = (byte)(((x + y) * 255 / (width + height)) + random.Next(32));
            }
        }
        return image;
    }

    private static void PrintTable(List<Measurement> results, int threads)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("op", "size", "batch");
        foreach (string column in new[] { "grid img/s", "grid MP/s", "PyTorch img/s", "grid / PyTorch", "CPUs grid / PyTorch" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }
        foreach (Measurement m in results)
        {
            double? reference = m.PyTorchImagesPerSecond;
            table.AddRow(m.Operation, m.SizeLabel, m.Batch.ToString(CultureInfo.InvariantCulture),
                m.ImagesPerSecond.ToString("F1", CultureInfo.InvariantCulture),
                m.MegapixelsPerSecond.ToString("F2", CultureInfo.InvariantCulture),
                reference?.ToString("F1", CultureInfo.InvariantCulture) ?? "-",
                m.Ratio?.ToString("F2", CultureInfo.InvariantCulture) ?? "-",
                string.Create(CultureInfo.InvariantCulture, $"{m.Cpus:F2} / {(m.PyTorchCpus is { } cpus ? cpus.ToString("F2", CultureInfo.InvariantCulture) : "-")}"));
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"threads: {threads}; grid = image -> packed VQF frame (encode) and frame -> image (decode), PyTorch = the same model's forward on uint8 tensors; the two alternate in {Slices} slices per row; each img/s column is the median slice, grid / PyTorch the median over adjacent slice pairs; CPUs = CPU seconds per wall second of each process while it ran.");
    }
}

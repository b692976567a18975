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
            using PyTorchYardstick? pytorch = parse.GetValue(noPyTorch) ? null : PyTorchYardstick.Start(codec.Config, threadCount);
            if (!asJson && pytorch is not null)
            {
                AnsiConsole.WriteLine($"  PyTorch yardstick: torch {pytorch.TorchVersion}, same architecture, same threads " +
                    $"(libtorch and {(pytorch.BlasLibrary is null ? "no OpenBLAS found" : "OpenBLAS")}), timed in alternating slices");
            }
            var results = new List<Measurement>();
            foreach (int size in parse.GetValue(sizes)!)
            {
                foreach (int batch in parse.GetValue(batches)!)
                {
                    results.AddRange(MeasureSideBySide(codec, pytorch, size, batch, minimumSeconds));
                    if (!asJson)
                    {
                        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  {size}x{size} batch {batch}: encode {Describe(results[^2])}, decode {Describe(results[^1])}"));
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
                        ["op"] = m.Operation, ["size"] = m.Size, ["batch"] = m.Batch, ["threads"] = threadCount,
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
        string Operation, int Size, int Batch, double ImagesPerSecond, double? PyTorchImagesPerSecond, double? Ratio,
        double Cpus, double? PyTorchCpus)
    {
        public double MegapixelsPerSecond => ImagesPerSecond * Size * Size / 1e6;
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
    private static Measurement[] MeasureSideBySide(VqCodec codec, PyTorchYardstick? pytorch, int size, int batch, double minimumSeconds)
    {
        RgbImage[] images = Enumerable.Range(0, batch).Select(i => SyntheticImage(size, i)).ToArray();
        byte[][] frames = codec.EncodeBatch(images);
        return
        [
            Measure("encode", size, batch, () => codec.EncodeBatch(images), pytorch, minimumSeconds),
            Measure("decode", size, batch, () => codec.DecodeBatch(frames), pytorch, minimumSeconds),
        ];
    }

    /// <summary>
    /// Each side's throughput is the median over its slices: a slice that another process on the machine disturbed
    /// moves a mean, not a median.
    /// </summary>
    private static Measurement Measure(string operation, int size, int batch, Action run, PyTorchYardstick? pytorch, double minimumSeconds)
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
                (int n, double spent, double cpu) = pytorch.Time(operation, size, batch, slice);
                reference.Add(n * batch / spent);
                referenceWall += spent;
                referenceCpu += cpu;
            }
        }
        double? ratio = pytorch is null ? null : Median(grid.Zip(reference, (g, r) => g / r));
        return new(operation, size, batch, Median(grid), pytorch is null ? null : Median(reference), ratio,
            gridCpu / gridWall, pytorch is null ? null : referenceCpu / referenceWall);
    }

    private static double Median(IEnumerable<double> values)
    {
        List<double> sorted = [.. values.Order()];
        int middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
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
            table.AddRow(m.Operation, $"{m.Size}x{m.Size}", m.Batch.ToString(CultureInfo.InvariantCulture),
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

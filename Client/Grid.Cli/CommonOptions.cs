using System.CommandLine;
using Grid.Native;

namespace Grid.Cli;

/// <summary>Options shared by the codec commands.</summary>
public static class CommonOptions
{
    public static Option<DirectoryInfo?> Model() => new("--model", "-m")
    {
        Description = "Model directory (weights.gridw + card.json); default: the shipped models/default",
    };

    public static Option<string> Device() => new("--device")
    {
        Description = "Where the model runs: cpu, cuda or cuda:N",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("GRID_DEVICE") ?? "cpu",
    };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "CPU threads for the codec (default: all cores, or $GRID_THREADS)",
        DefaultValueFactory = _ => int.TryParse(Environment.GetEnvironmentVariable("GRID_THREADS"), out int n) ? n : Environment.ProcessorCount,
    };

    public static Option<string> Precision() => new("--precision")
    {
        Description = "Arithmetic on CUDA: fp32, tf32 or bf16 (the CPU always computes in fp32; default $GRID_PRECISION or fp32)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("GRID_PRECISION") ?? "fp32",
    };

    public static Option<int> DeviceBatch() => new("--device-batch")
    {
        Description = "Most images one device pass takes: larger batches run in passes whose copies overlap the compute on CUDA (0 = no limit)",
        DefaultValueFactory = _ => 0,
    };

    /// <summary>Applies precision and device pass size (validated) to the native runtime.</summary>
    public static void ApplyInference(string precision, int deviceBatch)
    {
        if (deviceBatch < 0 || deviceBatch > InferenceOptions.MaxBatchLimit)
        {
            throw new ArgumentException($"--device-batch must be 0..{InferenceOptions.MaxBatchLimit} (got {deviceBatch})");
        }
        NativeRuntime.Inference = new InferenceOptions(InferenceOptions.ParsePrecision(precision), deviceBatch);
    }

    /// <summary>Applies the thread count (validated) to the native runtime.</summary>
    public static void ApplyThreads(int threads)
    {
        if (threads < 1)
        {
            throw new ArgumentException($"--threads must be at least 1 (got {threads})");
        }
        NativeRuntime.Threads = threads;
    }

    public static string ModelPath(DirectoryInfo? model) => model?.FullName ?? ModelLocator.Default();
}

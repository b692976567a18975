using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grid.Native;

namespace Grid.Cli.Commands;

/// <summary>
/// PyTorch running the same architecture, as a child process (<c>scripts/bench_pytorch.py --serve</c>) that times one
/// slice of work per request, so <c>grid bench codec</c> can alternate its own timings with PyTorch's.
/// </summary>
internal sealed class PyTorchYardstick : IDisposable
{
    /// <summary>The interpreter: $GRID_PYTHON (e.g. a venv with PyTorch 2.x and CUDA), else Debian's.</summary>
    private static string Python => Environment.GetEnvironmentVariable("GRID_PYTHON") is { Length: > 0 } python ? python : "/usr/bin/python3";
    private readonly Process _process;
    private readonly Task<string> _errors;

    private PyTorchYardstick(Process process, string torchVersion, string? blasLibrary)
    {
        _process = process;
        _errors = process.StandardError.ReadToEndAsync();
        TorchVersion = torchVersion;
        BlasLibrary = blasLibrary;
    }

    public string TorchVersion { get; }

    /// <summary>The OpenBLAS whose thread count the script set to ours, or null when PyTorch runs without one.</summary>
    public string? BlasLibrary { get; }

    /// <summary>Starts the yardstick, or says on stderr why it is skipped and returns null.</summary>
    public static PyTorchYardstick? Start(ModelConfig config, int threads, YardstickSettings settings)
    {
        string? root = ModelLocator.RepositoryRoot();
        string script = root is null ? "" : Path.Combine(root, "scripts", "bench_pytorch.py");
        if (config != new ModelConfig())
        {
            Console.Error.WriteLine($"bench: PyTorch yardstick skipped: it builds the default architecture, this model is {config}");
            return null;
        }
        if (!File.Exists(script) || !File.Exists(Python))
        {
            Console.Error.WriteLine($"bench: PyTorch yardstick skipped (needs scripts/bench_pytorch.py and {Python} with torch: Debian's python3-torch, which ./grid setup installs, or $GRID_PYTHON)");
            return null;
        }
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[] { script, "--serve", "--threads", threads.ToString(CultureInfo.InvariantCulture) }.Concat(settings.Arguments()))
        {
            start.ArgumentList.Add(argument);
        }
        Process process = Process.Start(start)!;
        string? readyLine = process.StandardOutput.ReadLine();
        if (readyLine is null)
        {
            string errors = process.StandardError.ReadToEnd().Trim();
            process.WaitForExit();
            int exitCode = process.ExitCode;
            process.Dispose();
            Console.Error.WriteLine($"bench: PyTorch yardstick failed to start ({exitCode}): {errors}");
            return null;
        }
        using JsonDocument ready = JsonDocument.Parse(readyLine);
        JsonElement hello = ready.RootElement;
        string? blas = hello.TryGetProperty("blas", out JsonElement path) ? path.GetString() : null;
        return new PyTorchYardstick(process, hello.GetProperty("torch").GetString() ?? "?", blas);
    }

    /// <summary>
    /// Runs <paramref name="operation"/> for about <paramref name="seconds"/> in PyTorch; returns calls made, time spent
    /// in them and the CPU seconds the script's process used meanwhile.
    /// </summary>
    public (int Calls, double Seconds, double CpuSeconds) Time(string operation, int width, int height, int batch, double seconds)
    {
        _process.StandardInput.WriteLine(new JsonObject
        {
            ["op"] = operation, ["width"] = width, ["height"] = height, ["batch"] = batch, ["seconds"] = seconds,
        }.ToJsonString());
        _process.StandardInput.Flush();
        string answer = _process.StandardOutput.ReadLine()
            ?? throw new InvalidOperationException($"PyTorch yardstick exited: {_errors.Result.Trim()}");
        using JsonDocument document = JsonDocument.Parse(answer);
        JsonElement root = document.RootElement;
        return (root.GetProperty("calls").GetInt32(), root.GetProperty("seconds").GetDouble(), root.GetProperty("cpu_seconds").GetDouble());
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close(); // the script ends when stdin closes
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _process.Kill();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}

/// <summary>
/// How the yardstick runs: on the codec's device and precision; on CUDA with channels-last (the fast eager form), and
/// under torch.compile when <see cref="CompileMode"/> is set. On the CPU in fp32 it is the plain script of earlier runs.
/// </summary>
internal sealed record YardstickSettings(string Device, string Precision, string? CompileMode)
{
    public IEnumerable<string> Arguments()
    {
        bool cuda = Device != "cpu";
        if (cuda)
        {
            yield return "--device";
            yield return Device;
            yield return "--channels-last";
        }
        if (cuda && Precision != "fp32")
        {
            yield return "--precision";
            yield return Precision;
        }
        if (!string.IsNullOrEmpty(CompileMode))
        {
            yield return "--compile";
            yield return CompileMode;
        }
    }
}

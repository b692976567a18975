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
    private const string Python = "/usr/bin/python3";
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
    public static PyTorchYardstick? Start(ModelConfig config, int threads)
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
            Console.Error.WriteLine("bench: PyTorch yardstick skipped (needs scripts/bench_pytorch.py and Debian's python3-torch; ./grid setup installs it)");
            return null;
        }
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[] { script, "--serve", "--threads", threads.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        Process process = Process.Start(start)!;
        string? readyLine = process.StandardOutput.ReadLine();
        if (readyLine is null)
        {
            string errors = process.StandardError.ReadToEnd().Trim();
            process.WaitForExit();
            process.Dispose();
            Console.Error.WriteLine($"bench: PyTorch yardstick failed to start ({process.ExitCode}): {errors}");
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
    public (int Calls, double Seconds, double CpuSeconds) Time(string operation, int size, int batch, double seconds)
    {
        _process.StandardInput.WriteLine(new JsonObject
        {
            ["op"] = operation, ["size"] = size, ["batch"] = batch, ["seconds"] = seconds,
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

using System.Diagnostics;

namespace Grid.Cli.Tests;

/// <summary>The outcome of one run of the CLI process.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>A running CLI process.</summary>
/// <param name="ProcessId">Its process id (the <c>dotnet</c> host runs the CLI in-process).</param>
/// <param name="Completion">Its result once it exits (killed after two minutes).</param>
internal sealed record CliProcess(int ProcessId, Task<CliResult> Completion);

/// <summary>Runs the built <c>grid</c> CLI (copied beside the test assembly) as a child process.</summary>
internal static class CliRun
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(120);

    internal static Task<CliResult> RunAsync(params string[] arguments) => Start(arguments).Completion;

    /// <summary>Runs to completion in <paramref name="workingDirectory"/> (relative paths in arguments resolve there).</summary>
    internal static CliResult RunIn(string workingDirectory, params string[] arguments) =>
        Start(arguments, workingDirectory).Completion.GetAwaiter().GetResult();

    internal static CliProcess Start(params string[] arguments) => Start(arguments, workingDirectory: null);

    internal static CliProcess Start(string[] arguments, string? workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        // One codec thread per CLI process: test processes run side by side on few cores.
        start.Environment["GRID_THREADS"] = "1";
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "grid.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // The tests name the server and tenant; the machine's settings must not leak in.
        foreach (string variable in new[] { "GRID_SERVER", "GRID_TENANT", "GRID_DEBUG" })
        {
            start.Environment.Remove(variable);
        }
        // Test silos start with the test admin key (SiloProcessOptions.AdminKey); a test passing --api-key overrides it.
        start.Environment["GRID_API_KEY"] = Grid.TestSupport.SiloProcess.TestAdminKey;
        Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        return new CliProcess(process.Id, WaitAsync(process, arguments));
    }

    /// <summary>Asks a process to stop as a service manager (or Ctrl+C) would: SIGTERM.</summary>
    internal static async Task TerminateAsync(int processId)
    {
        using Process kill = Process.Start("kill", ["-TERM", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            ?? throw new InvalidOperationException("kill did not start");
        await kill.WaitForExitAsync();
    }

    private static async Task<CliResult> WaitAsync(Process process, string[] arguments)
    {
        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(s_limit);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"grid {string.Join(' ', arguments)} ran longer than {s_limit}");
            }
            return new CliResult(process.ExitCode, await stdout, await stderr);
        }
    }
}

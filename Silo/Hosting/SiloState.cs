using Grid.Diagnostics;

namespace Grid.Silo.Hosting;

/// <summary>What the health checks report: startup progress and the draining flag.</summary>
public sealed class SiloState
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _draining;
    private volatile string? _startupProblem = "starting: connecting to Redis and loading the current model";

    /// <summary>Creates the state and exposes it as gauges.</summary>
    public SiloState(GridMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        metrics.ObserveSilo(() => _draining, () => _startupProblem is null);
    }

    /// <summary>True once shutdown began: readiness fails, new codec work is refused.</summary>
    public bool IsDraining => _draining;

    /// <summary>Why the silo has not finished starting; null once it has.</summary>
    public string? StartupProblem => _startupProblem;

    /// <summary>Completes once the silo loaded its first model (the trainer waits for it).</summary>
    public Task Started => _started.Task;

    /// <summary>Marks the start finished.</summary>
    public void MarkStarted()
    {
        _startupProblem = null;
        _started.TrySetResult();
    }

    /// <summary>Records why the start is still waiting.</summary>
    public void ReportStartupProblem(string problem) => _startupProblem = problem;

    /// <summary>Marks the silo draining.</summary>
    public void BeginDraining() => _draining = true;
}

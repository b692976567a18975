using Grid.Grains.Models;
using Grid.Silo.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grid.Silo.Health;

/// <summary>Healthy once the current model is loaded (readiness and the startup probe).</summary>
public sealed class ModelLoadedCheck(ModelCache models, SiloState state) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(models.CurrentVersion is { } version
            ? HealthCheckResult.Healthy($"model version {version} loaded")
            : HealthCheckResult.Unhealthy($"no model loaded yet ({state.StartupProblem ?? "loading"})"));
}

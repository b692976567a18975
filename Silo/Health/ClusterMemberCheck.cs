using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grid.Silo.Health;

/// <summary>
/// Healthy while this silo is an active member of the Orleans cluster (readiness and the startup probe): before it has
/// joined, grain calls from its API could not be placed on it, and once it shuts down they are not any more.
/// </summary>
public sealed class ClusterMemberCheck(ISiloStatusOracle membership) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        SiloStatus status = membership.CurrentStatus;
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("active in the Orleans cluster")
            : HealthCheckResult.Unhealthy($"Orleans membership status is {status.ToString().ToLowerInvariant()}, not active"));
    }
}

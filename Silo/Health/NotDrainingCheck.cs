using Grid.Silo.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grid.Silo.Health;

/// <summary>Unhealthy once shutdown began, so load balancers stop sending work while queued work finishes.</summary>
public sealed class NotDrainingCheck(SiloState state) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsDraining
            ? HealthCheckResult.Unhealthy("the silo is draining for shutdown")
            : HealthCheckResult.Healthy("accepting work"));
}

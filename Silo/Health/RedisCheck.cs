using Grid.Storage.Streams;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grid.Silo.Health;

/// <summary>Healthy while Redis answers PING within two seconds.</summary>
public sealed class RedisCheck(RedisConnection redis) : IHealthCheck
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            TimeSpan roundTrip = await redis.PingAsync().WaitAsync(s_timeout, cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered PING in {roundTrip.TotalMilliseconds:0.0} ms");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"Redis PING failed: {e.Message}");
        }
    }
}

using System.Globalization;
using System.Threading.RateLimiting;
using Grid.Contracts;
using Grid.Silo.Http;
using Microsoft.Extensions.Options;

namespace Grid.Silo.Security;

/// <summary>
/// ASP.NET Core rate limiting: a token bucket per tenant key over every API request (the global limiter), and a
/// fixed window per admin key on admin routes (<see cref="AdminPolicy"/>). Refusals are 429 rate_limited with
/// Retry-After and the API's error body.
/// </summary>
public static class RateLimits
{
    /// <summary>The rate-limiting policy of admin routes.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>Registers the limiters from <see cref="GridLimitsOptions"/>.</summary>
    public static IServiceCollection AddGridRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                int seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 1;
                await ApiErrorMiddleware.WriteAsync(context.HttpContext, new ApiError(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                    $"this key sent more requests than its limit allows; retry after {seconds.ToString(CultureInfo.InvariantCulture)} s", seconds));
            };
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                GridLimitsOptions limits = context.RequestServices.GetRequiredService<IOptions<GridLimitsOptions>>().Value;
                // Unauthenticated requests are refused before they cost anything; admins have their own policy.
                if (context.User.KeyTenant() is not { } tenant || context.User.IsAdmin() || limits.RequestsPerSecond == 0)
                {
                    return RateLimitPartition.GetNoLimiter(string.Empty);
                }
                return RateLimitPartition.GetTokenBucketLimiter("tenant:" + tenant, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(limits.RequestBurst, 1),
                    TokensPerPeriod = limits.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.AddPolicy(AdminPolicy, context =>
            {
                GridLimitsOptions limits = context.RequestServices.GetRequiredService<IOptions<GridLimitsOptions>>().Value;
                if (limits.AdminRequestsPerMinute == 0)
                {
                    return RateLimitPartition.GetNoLimiter(string.Empty);
                }
                return RateLimitPartition.GetFixedWindowLimiter("admin:" + (context.User.KeyId() ?? string.Empty), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.AdminRequestsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
        return services;
    }
}

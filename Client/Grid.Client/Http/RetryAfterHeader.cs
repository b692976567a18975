using System.Net.Http.Headers;

namespace Grid.Client.Http;

/// <summary>Reads the wait a server asks for in <c>Retry-After</c>; <see cref="RetryPipeline"/> waits that long (capped) instead of its backoff.</summary>
internal static class RetryAfterHeader
{
    /// <summary>The wait a <c>Retry-After</c> header asks for (seconds or an HTTP date), or null when absent.</summary>
    internal static TimeSpan? Read(RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        if (retryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }
        if (retryAfter?.Date is { } date)
        {
            TimeSpan wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }
}

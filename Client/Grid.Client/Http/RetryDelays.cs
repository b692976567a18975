using System.Net.Http.Headers;

namespace Grid.Client.Http;

/// <summary>How long to wait before the next attempt: exponential backoff with jitter, or the server's Retry-After.</summary>
internal static class RetryDelays
{
    /// <summary>
    /// <c>base * 2^retry</c> capped at <paramref name="max"/>, then "equal jitter": half fixed, half random, so
    /// clients that failed together do not retry together yet the delay still grows.
    /// </summary>
    internal static TimeSpan Backoff(int retry, TimeSpan baseDelay, TimeSpan max)
    {
        double exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry, 30));
        double capped = Math.Min(exponential, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }

    /// <summary>The wait a <c>Retry-After</c> header asks for (seconds or an HTTP date), or null when absent.</summary>
    internal static TimeSpan? FromHeader(RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
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

    /// <summary>The server's wait when it gave one (capped at <paramref name="max"/>), else the backoff.</summary>
    internal static TimeSpan Next(int retry, TimeSpan? retryAfter, TimeSpan baseDelay, TimeSpan max) =>
        retryAfter is { } wait ? (wait > max ? max : wait) : Backoff(retry, baseDelay, max);
}

namespace Grid.Client.Http;

/// <summary>Which failures a request may be retried after.</summary>
internal enum RetrySafety
{
    /// <summary>
    /// Repeating the request changes nothing (reads, encode/decode, appends that carry a sequence number): retried
    /// after connection failures, timeouts, 429, 502, 503 and 504.
    /// </summary>
    Idempotent,

    /// <summary>
    /// A repeat could store a second copy (appends without a sequence number): retried only when the server certainly
    /// did not act on it — the connection was never made, or the silo itself refused with 429 <c>queue_full</c> or 503
    /// <c>unavailable</c> before taking the frame. Never after a timeout, a broken connection, 502 or 504 (a proxy may
    /// have forwarded it).
    /// </summary>
    OnlyIfNotProcessed,
}

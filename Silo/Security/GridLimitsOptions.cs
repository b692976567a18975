namespace Grid.Silo.Security;

/// <summary>
/// Per-tenant rate limits and quotas and the silo's pixel admission (section <c>Grid:Limits</c>; docs/security.md
/// lists the defaults and why). 0 switches a limit off.
/// </summary>
public sealed class GridLimitsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Grid:Limits";

    /// <summary>Requests per second one tenant key may send to one silo, sustained (default 200). Admin keys are not limited by it.</summary>
    public int RequestsPerSecond { get; set; } = 200;

    /// <summary>Requests a tenant may send at once above the sustained rate (default 400).</summary>
    public int RequestBurst { get; set; } = 400;

    /// <summary>Requests per minute to admin routes (refresh, rollback, keys) per admin key and silo (default 60).</summary>
    public int AdminRequestsPerMinute { get; set; } = 60;

    /// <summary>Streams one tenant may hold (default 1000); creating one more is 403 quota_exceeded.</summary>
    public int MaxStreamsPerTenant { get; set; } = 1000;

    /// <summary>Frame bytes one tenant may store (default 10 GiB); an append beyond it is 507 quota_exceeded.</summary>
    public long MaxStoredBytesPerTenant { get; set; } = 10L << 30;

    /// <summary>Seconds a silo reuses a tenant's stored-bytes total before summing it again (default 2).</summary>
    public int UsageCacheSeconds { get; set; } = 2;

    /// <summary>Largest image accepted, in pixels (default 16,777,216 = 4096 x 4096), read from its header before decoding.</summary>
    public long MaxImagePixels { get; set; } = 4096L * 4096;

    /// <summary>
    /// Pixels one silo decodes, encodes and decodes back at once, over all requests (default 2 x MaxImagePixels);
    /// beyond it a request is refused with 429 and Retry-After.
    /// </summary>
    public long MaxPixelsInFlight { get; set; } = 2 * 4096L * 4096;

    /// <summary>Pixels one tenant may have in flight on one silo (default MaxImagePixels), so one tenant cannot take the whole budget.</summary>
    public long MaxPixelsInFlightPerTenant { get; set; } = 4096L * 4096;
}

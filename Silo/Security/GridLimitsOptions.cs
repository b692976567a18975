namespace Grid.Silo.Security;

/// <summary>
/// Per-tenant rate limits (section <c>Grid:Limits</c>; docs/security.md
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
}

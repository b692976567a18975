namespace Grid.Silo.Security;

/// <summary>
/// Authentication settings (section <c>Grid:Auth</c>; docs/security.md). Every API route needs an API key sent as
/// <c>Authorization: Bearer &lt;key&gt;</c>; keys live hashed in Redis and are managed through <c>/v1/keys</c>.
/// </summary>
public sealed class GridAuthOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Grid:Auth";

    /// <summary>Environment variable read when <see cref="AdminKey"/> is not configured.</summary>
    public const string AdminKeyVariable = "GRID_ADMIN_KEY";

    /// <summary>Shortest bootstrap admin key accepted.</summary>
    public const int MinAdminKeyLength = 16;

    /// <summary>
    /// The bootstrap admin key (default: $GRID_ADMIN_KEY; none). It acts for tenant <c>default</c> with admin scope and
    /// is how the first keys are created. Kept in memory only as its SHA-256.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>Whether <c>/health/*</c> answers without a key (default true: probes carry none).</summary>
    public bool OpenHealth { get; set; } = true;

    /// <summary>Whether <c>/metrics</c> answers without a key (default true: scrapers carry none).</summary>
    public bool OpenMetrics { get; set; } = true;
}

namespace Grid.TestSupport;

/// <summary>How <see cref="SiloProcess"/> starts a silo.</summary>
public sealed record SiloProcessOptions
{
    /// <summary>Redis configuration string (<c>--redis</c>).</summary>
    public required string Redis { get; init; }

    /// <summary>Model directory imported when Redis has none (<c>--model</c>); null passes none.</summary>
    public string? Model { get; init; }

    /// <summary>The silo's name (<c>--name</c>); null lets the silo choose.</summary>
    public string? Name { get; init; }

    /// <summary>Further settings as <c>Key=value</c> under the "Grid" section, e.g. <c>["MaxQueue=2"]</c>.</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    /// <summary>How long to wait for <c>/health/ready</c>; null returns as soon as the process listens (<c>/health/live</c>).</summary>
    public TimeSpan? ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The bootstrap admin key (<c>Grid:Auth:AdminKey</c>); <see cref="SiloProcess.TestAdminKey"/> by default, so tests
    /// and helpers act as an admin unless they create tenant keys. Null starts a silo without one.
    /// </summary>
    public string? AdminKey { get; init; } = SiloProcess.TestAdminKey;

    /// <summary>How many of the silo's last log lines <c>LogText()</c> keeps (default 400).</summary>
    public int KeptLogLines { get; init; } = 400;

    /// <summary>Environment variables for the process (GRID_MODEL is removed unless set here).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

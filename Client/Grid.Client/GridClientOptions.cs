using Grid.Contracts.Api;

namespace Grid.Client;

/// <summary>Settings of a <see cref="GridClient"/>. Every property has a documented default; <see cref="Validate"/> lists what is wrong.</summary>
public sealed class GridClientOptions
{
    /// <summary>The default silo address, as <c>grid serve</c> listens by default.</summary>
    public static Uri DefaultBaseAddress { get; } = new("http://127.0.0.1:5080/");

    /// <summary>
    /// Address of a silo (or of a load balancer in front of several). Null (the default): the supplied HttpClient's
    /// <see cref="HttpClient.BaseAddress"/>, else <see cref="DefaultBaseAddress"/>.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Environment variable <see cref="ApiKey"/> defaults to.</summary>
    public const string ApiKeyVariable = "GRID_API_KEY";

    /// <summary>
    /// The API key sent as <c>Authorization: Bearer &lt;key&gt;</c> on every request and WebSocket (default:
    /// $GRID_API_KEY; null sends none and the silo answers 401). The key decides the tenant (docs/security.md).
    /// </summary>
    public string? ApiKey { get; set; } = Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key ? key : null;

    /// <summary>
    /// Tenant sent as <c>X-Grid-Tenant</c>: only an admin key may act for another tenant; with a tenant key leave it
    /// null (the key's tenant is used) or name the key's own tenant, since any other is refused with 403.
    /// </summary>
    public string? Tenant { get; set; }

    /// <summary>
    /// Time one attempt may take until the response headers arrive (a streamed replay body is not limited by it).
    /// From 10 ms to 1 day, or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>; default 30 s.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt of a request that may be retried (see <see cref="GridClient"/>). Default 4; 0 disables retries.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>Delay before the first retry; it grows exponentially per retry, with jitter (Polly's exponential backoff). Default 200 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between attempts, also the cap on a server's <c>Retry-After</c>; at most 1 day. Default 10 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Frames an <see cref="IngestSession"/> sends ahead of their acknowledgements. Default 32.</summary>
    public int IngestWindow { get; set; } = 32;

    /// <summary>The <c>User-Agent</c> header. Default <c>grid-client/VERSION</c>.</summary>
    public string UserAgent { get; set; } = "grid-client/" + (typeof(GridClientOptions).Assembly.GetName().Version?.ToString(3) ?? "1.0.0");

    // The ranges Polly's retry and timeout strategies accept (RetryPipeline).
    private static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    /// <summary>Every problem with these settings (empty when they are usable).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (BaseAddress is not null && (!BaseAddress.IsAbsoluteUri || (BaseAddress.Scheme != Uri.UriSchemeHttp && BaseAddress.Scheme != Uri.UriSchemeHttps)))
        {
            problems.Add($"BaseAddress '{BaseAddress}' is not an absolute http:// or https:// URL");
        }
        if (Tenant is not null && StreamNames.Problem(Tenant, "tenant") is { } tenantProblem)
        {
            problems.Add(tenantProblem);
        }
        if (ApiKey is not null && (ApiKey.Length == 0 || ApiKey.Any(char.IsWhiteSpace)))
        {
            problems.Add("ApiKey must not be empty or contain white space");
        }
        if ((Timeout < MinTimeout || Timeout > MaxDelay) && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            problems.Add($"Timeout must be between 10 ms and 1 day, or infinite (got {Timeout})");
        }
        if (MaxRetries < 0)
        {
            problems.Add($"MaxRetries must be 0 or more (got {MaxRetries})");
        }
        if (RetryBaseDelay < TimeSpan.Zero)
        {
            problems.Add($"RetryBaseDelay must not be negative (got {RetryBaseDelay})");
        }
        if (MaxRetryDelay < RetryBaseDelay)
        {
            problems.Add($"MaxRetryDelay ({MaxRetryDelay}) must not be below RetryBaseDelay ({RetryBaseDelay})");
        }
        if (MaxRetryDelay > MaxDelay)
        {
            problems.Add($"MaxRetryDelay must be at most 1 day (got {MaxRetryDelay})");
        }
        if (IngestWindow < 1)
        {
            problems.Add($"IngestWindow must be at least 1 (got {IngestWindow})");
        }
        if (string.IsNullOrWhiteSpace(UserAgent))
        {
            problems.Add("UserAgent must not be empty");
        }
        return problems;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming every problem, if there is one.</summary>
    internal void ThrowIfInvalid()
    {
        IReadOnlyList<string> problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid GridClientOptions: " + string.Join("; ", problems));
        }
    }

    /// <summary>A copy, so a client is not affected by later changes to the caller's instance.</summary>
    internal GridClientOptions Clone() => (GridClientOptions)MemberwiseClone();
}

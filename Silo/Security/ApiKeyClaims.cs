namespace Grid.Silo.Security;

/// <summary>Names the API-key authentication uses: scheme, claims, policies, the WebSocket query parameter.</summary>
public static class ApiKeyClaims
{
    /// <summary>The authentication scheme.</summary>
    public const string Scheme = "ApiKey";

    /// <summary>Claim: the tenant the key acts for.</summary>
    public const string Tenant = "grid:tenant";

    /// <summary>Claim: the key's id.</summary>
    public const string KeyId = "grid:key";

    /// <summary>Claim: the key's scope, <see cref="AdminScope"/> or <see cref="TenantScope"/>.</summary>
    public const string Scope = "grid:scope";

    /// <summary>Scope of an admin key.</summary>
    public const string AdminScope = "admin";

    /// <summary>Scope of a tenant key.</summary>
    public const string TenantScope = "tenant";

    /// <summary>Policy: any valid key (the fallback of every API route).</summary>
    public const string TenantPolicy = "tenant";

    /// <summary>Policy: an admin key.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>
    /// Query parameter carrying the key on WebSocket upgrades only: browsers cannot set headers on a WebSocket
    /// (the convention of ASP.NET Core's JWT bearer handler and SignalR).
    /// </summary>
    public const string QueryParameter = "access_token";

    /// <summary>Id of the bootstrap admin key from configuration.</summary>
    public const string BootstrapKeyId = "bootstrap";
}

using System.Security.Claims;

namespace Grid.Silo.Security;

/// <summary>What an authenticated request's key says about its caller.</summary>
public static class TenantClaims
{
    /// <summary>The key's tenant; null when the request is not authenticated.</summary>
    public static string? KeyTenant(this ClaimsPrincipal user) => user.FindFirst(ApiKeyClaims.Tenant)?.Value;

    /// <summary>The key's id; null when the request is not authenticated.</summary>
    public static string? KeyId(this ClaimsPrincipal user) => user.FindFirst(ApiKeyClaims.KeyId)?.Value;

    /// <summary>True for an admin key.</summary>
    public static bool IsAdmin(this ClaimsPrincipal user) => user.HasClaim(ApiKeyClaims.Scope, ApiKeyClaims.AdminScope);
}

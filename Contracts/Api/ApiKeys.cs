namespace Grid.Contracts.Api;

/// <summary>An API key as the key-management API lists it: never its secret.</summary>
/// <param name="Id">The key's id (for revoking it).</param>
/// <param name="Tenant">The tenant the key acts for.</param>
/// <param name="Admin">True for an admin key: model refresh and rollback, key management, every tenant.</param>
/// <param name="Created">When it was made.</param>
/// <param name="Name">The caller's label, if any.</param>
public sealed record ApiKeyInfo(string Id, string Tenant, bool Admin, DateTimeOffset Created, string? Name = null);

/// <summary>Body of <c>POST /v1/keys</c>.</summary>
/// <param name="Tenant">The tenant the key acts for.</param>
/// <param name="Admin">True for an admin key.</param>
/// <param name="Name">A label, if any.</param>
public sealed record CreateApiKeyRequest(string Tenant, bool Admin = false, string? Name = null);

/// <summary>Answer of <c>POST /v1/keys</c>: the only time the secret is shown.</summary>
/// <param name="Info">The new key's listing.</param>
/// <param name="Key">The secret to send as <c>Authorization: Bearer &lt;key&gt;</c>.</param>
public sealed record CreatedApiKey(ApiKeyInfo Info, string Key);

using Grid.Contracts.Api;

namespace Grid.Silo.Security;

/// <summary>An API key as Redis holds it: the SHA-256 of its secret, never the secret.</summary>
internal sealed record StoredApiKey(string Id, string Tenant, bool Admin, DateTimeOffset Created, string Hash, string? Name)
{
    public ApiKeyInfo ToInfo() => new(Id, Tenant, Admin, Created, Name);
}

using System.Net.Http.Json;
using Grid.Client.Http;
using Grid.Contracts;
using Grid.Contracts.Api;

namespace Grid.Client;

public sealed partial class GridClient
{
    /// <summary>Creates an API key (needs an admin key). The answer is the only place its secret appears.</summary>
    /// <param name="tenant">The tenant the key acts for.</param>
    /// <param name="admin">True for an admin key.</param>
    /// <param name="name">A label, if any.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="GridApiException"><c>forbidden</c> without an admin key, <c>invalid_argument</c> for a bad tenant.</exception>
    public async Task<CreatedApiKey> CreateKeyAsync(string tenant, bool admin = false, string? name = null, CancellationToken cancellationToken = default)
    {
        if (StreamNames.Problem(tenant, "tenant") is { } problem)
        {
            throw new ArgumentException(problem, nameof(tenant));
        }
        var body = new CreateApiKeyRequest(tenant, admin, name);
        // Not retried after it may have reached the silo: a repeat would make a second key.
        using HttpResponseMessage response = await SendAsync(
            () => Request(HttpMethod.Post, ApiPaths.Keys, JsonContent.Create(body, options: GridJson.Options)), cancellationToken, RetrySafety.OnlyIfNotProcessed).ConfigureAwait(false);
        return await ReadJsonAsync<CreatedApiKey>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every API key, without secrets (needs an admin key).</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync(CancellationToken cancellationToken = default) =>
        await GetJsonAsync<List<ApiKeyInfo>>(ApiPaths.Keys, cancellationToken).ConfigureAwait(false);

    /// <summary>Revokes an API key at once (needs an admin key); false when no such key exists.</summary>
    public async Task<bool> RevokeKeyAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        try
        {
            using HttpResponseMessage response = await SendAsync(() => Request(HttpMethod.Delete, ApiPaths.Key(id)), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (GridApiException exception) when (exception.Code == ErrorCodes.KeyNotFound)
        {
            return false;
        }
    }
}

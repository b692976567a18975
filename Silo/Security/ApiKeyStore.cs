using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grid.Contracts.Api;
using Grid.Storage.Streams;
using Microsoft.AspNetCore.WebUtilities;
using StackExchange.Redis;

namespace Grid.Silo.Security;

/// <summary>
/// API keys in Redis (docs/security.md): <c>grid:keys</c> maps id to the key's record (tenant, scope, creation time,
/// SHA-256 of the secret) and <c>grid:keys:by-hash</c> maps the hash to the id. A secret is 32 random bytes, so one
/// unsalted SHA-256 is enough: nothing can be guessed from the hash. Create and revoke update both hashes in one
/// transaction; every silo sees them on the next request.
/// </summary>
public sealed class ApiKeyStore(RedisConnection redis, TimeProvider time)
{
    /// <summary>Prefix of every secret, so a leaked key is recognisable (e.g. by secret scanners).</summary>
    public const string SecretPrefix = "grid_";

    private static readonly RedisKey s_records = "grid:keys";
    private static readonly RedisKey s_byHash = "grid:keys:by-hash";

    private IDatabase Database => redis.Database;

    /// <summary>The hex SHA-256 of a secret.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Creates a key; the answer is the only place its secret appears.</summary>
    public async Task<CreatedApiKey> CreateAsync(string tenant, bool admin, string? name)
    {
        string secret = SecretPrefix + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var key = new StoredApiKey(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), tenant, admin, time.GetUtcNow(), Hash(secret), name);
        ITransaction transaction = Database.CreateTransaction();
        Task records = transaction.HashSetAsync(s_records, key.Id, JsonSerializer.Serialize(key, GridJson.Options));
        Task index = transaction.HashSetAsync(s_byHash, key.Hash, key.Id);
        await transaction.ExecuteAsync().ConfigureAwait(false);
        await Task.WhenAll(records, index).ConfigureAwait(false);
        return new CreatedApiKey(key.ToInfo(), secret);
    }

    /// <summary>The key whose secret this is; null when none (never made, or revoked).</summary>
    public async Task<ApiKeyInfo?> FindAsync(string secret)
    {
        RedisValue id = await Database.HashGetAsync(s_byHash, Hash(secret)).ConfigureAwait(false);
        return id.IsNull ? null : (await GetAsync(id.ToString()).ConfigureAwait(false))?.ToInfo();
    }

    /// <summary>Every key, oldest first, without secrets.</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync()
    {
        HashEntry[] entries = await Database.HashGetAllAsync(s_records).ConfigureAwait(false);
        return [.. entries.Select(e => Parse(e.Value)).OfType<StoredApiKey>().OrderBy(k => k.Created).ThenBy(k => k.Id, StringComparer.Ordinal).Select(k => k.ToInfo())];
    }

    /// <summary>Revokes a key at once; false when there is no such key.</summary>
    public async Task<bool> RevokeAsync(string id)
    {
        if (await GetAsync(id).ConfigureAwait(false) is not { } key)
        {
            return false;
        }
        ITransaction transaction = Database.CreateTransaction();
        Task<bool> records = transaction.HashDeleteAsync(s_records, key.Id);
        Task<bool> index = transaction.HashDeleteAsync(s_byHash, key.Hash);
        await transaction.ExecuteAsync().ConfigureAwait(false);
        return await records.ConfigureAwait(false) | await index.ConfigureAwait(false);
    }

    private async Task<StoredApiKey?> GetAsync(string id) => Parse(await Database.HashGetAsync(s_records, id).ConfigureAwait(false));

    private static StoredApiKey? Parse(RedisValue json) => json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<StoredApiKey>(json.ToString(), GridJson.Options);
}

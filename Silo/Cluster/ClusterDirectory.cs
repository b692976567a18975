using System.Globalization;
using Grid.Contracts.Api;
using Grid.Storage.Streams;
using StackExchange.Redis;

namespace Grid.Silo.Cluster;

/// <summary>Reads the cluster's live silos (from their heartbeats) and the trainer leader from Redis.</summary>
public sealed class ClusterDirectory(RedisConnection redis)
{
    /// <summary>Silos whose heartbeat has not expired, by name; names whose heartbeat expired are pruned from <c>grid:silos</c>.</summary>
    public async Task<IReadOnlyList<SiloInfo>> ListSilosAsync(CancellationToken cancellationToken)
    {
        IDatabase database = redis.Database;
        RedisValue[] names = await database.SetMembersAsync(ClusterKeys.Silos).WaitAsync(cancellationToken);
        // All heartbeats in one pipeline.
        List<(string Name, Task<HashEntry[]> Fields)> pending = [.. names.Select(n => ((string)n!, database.HashGetAllAsync(ClusterKeys.Silo((string)n!))))];
        var silos = new List<SiloInfo>(pending.Count);
        var expired = new List<RedisValue>();
        foreach ((string name, Task<HashEntry[]> fields) in pending)
        {
            HashEntry[] hash = await fields.WaitAsync(cancellationToken);
            if (hash.Length == 0)
            {
                expired.Add(name);
                continue;
            }
            silos.Add(Parse(name, hash));
        }
        if (expired.Count > 0)
        {
            await database.SetRemoveAsync(ClusterKeys.Silos, [.. expired]).WaitAsync(cancellationToken);
        }
        silos.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return silos;
    }

    /// <summary>The value of <c>grid:trainer:lease</c> (the leader's name); null when no trainer holds the lease.</summary>
    public async Task<string?> TrainerLeaderAsync(CancellationToken cancellationToken)
    {
        RedisValue value = await redis.Database.StringGetAsync(ClusterKeys.TrainerLease).WaitAsync(cancellationToken);
        return value.IsNull ? null : (string?)value;
    }

    private static SiloInfo Parse(string name, HashEntry[] hash)
    {
        Dictionary<string, string> fields = hash.ToDictionary(h => (string)h.Name!, h => (string?)h.Value ?? string.Empty, StringComparer.Ordinal);
        string Field(string key) => fields.GetValueOrDefault(key, string.Empty);
        long lastSeen = long.TryParse(Field("last_seen"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long ms) ? ms : 0;
        return new SiloInfo(
            name,
            Field("url"),
            Field("device"),
            uint.TryParse(Field("model_version"), NumberStyles.None, CultureInfo.InvariantCulture, out uint version) ? version : 0,
            int.TryParse(Field("queue_depth"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int depth) ? depth : 0,
            int.TryParse(Field("queue_capacity"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int capacity) ? capacity : 0,
            double.TryParse(Field("frames_per_second"), NumberStyles.Float, CultureInfo.InvariantCulture, out double fps) ? fps : 0,
            DateTimeOffset.FromUnixTimeMilliseconds(lastSeen));
    }
}

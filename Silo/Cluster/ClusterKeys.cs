using StackExchange.Redis;

namespace Grid.Silo.Cluster;

/// <summary>Redis names of the cluster's shared state (docs/redis.md, "Silos").</summary>
internal static class ClusterKeys
{
    /// <summary>Set of silo names that sent a heartbeat; members whose hash expired are pruned by readers.</summary>
    public static readonly RedisKey Silos = "grid:silos";

    /// <summary>The trainer leader's lease: its value names the leader.</summary>
    public static readonly RedisKey TrainerLease = "grid:trainer:lease";

    /// <summary>One silo's heartbeat hash (expires after three periods).</summary>
    public static RedisKey Silo(string name) => "grid:silo:" + name;
}

namespace Grid.Deploy.Tests.Checks;

/// <summary>Names the checks look for in every overlay (k8s/base).</summary>
public static class GridNames
{
    /// <summary>Grid's namespace.</summary>
    public const string Namespace = "grid";

    /// <summary>The silo Deployment (and its Service, PDB and HPA).</summary>
    public const string Silo = "grid-silo";

    /// <summary>The silo's container.</summary>
    public const string SiloContainer = "silo";

    /// <summary>The Redis StatefulSet.</summary>
    public const string Redis = "redis";

    /// <summary>The Redis container.</summary>
    public const string RedisContainer = "redis";

    /// <summary>The ConfigMap key holding redis.conf.</summary>
    public const string RedisConfKey = "redis.conf";

    /// <summary>How long the readiness check waits for Redis's PING (Silo/Health/RedisCheck.cs, docs/silo.md).</summary>
    public static readonly TimeSpan ReadinessRedisTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The GPU resource of the NVIDIA device plugin.</summary>
    public const string GpuResource = "nvidia.com/gpu";

    /// <summary>The silo container's port for silo-to-silo traffic (Grid:Cluster:SiloPort).</summary>
    public const string OrleansSiloPort = "orleans-silo";

    /// <summary>The silo container's port for Orleans clients (Grid:Cluster:GatewayPort).</summary>
    public const string OrleansGatewayPort = "orleans-gateway";
}

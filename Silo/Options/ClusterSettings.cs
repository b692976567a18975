namespace Grid.Silo.Options;

/// <summary>
/// The Orleans cluster this silo joins (section <c>Grid:Cluster</c>; <c>--silo-port</c>, <c>--gateway-port</c>). The
/// membership timings default to fast failure detection, which suits a cluster of a few silos on a reliable network:
/// a crashed silo is declared dead in about a second, a frozen or partitioned one in about 10 s (docs/silo.md). The
/// price: more probe traffic, and a silo paused longer than <see cref="ProbeTimeoutSeconds"/> x
/// <see cref="MissedProbesLimit"/> (a long GC pause, an overloaded VM) is declared dead and must restart. Raise them
/// (Orleans' own defaults: 5 s, 3, 60 s, 30 s, 2 votes) for large clusters or noisy machines.
/// </summary>
public sealed class ClusterSettings
{
    /// <summary>Silo-to-silo port (default 11111).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Gateway port for Orleans clients (default 30000).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The IP address other silos reach this one at (default: $POD_IP, else 127.0.0.1: a cluster on one machine; set
    /// the machine's address for silos on several machines).
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>The Orleans cluster id: silos with the same id and Redis form one cluster (default <c>grid</c>).</summary>
    public string ClusterId { get; set; } = "grid";

    /// <summary>The Orleans service id; grain state and reminders are keyed by it (default <c>grid</c>).</summary>
    public string ServiceId { get; set; } = "grid";

    /// <summary>How long a membership probe may take before it counts as missed (default 1 s; Orleans: 5 s).</summary>
    public double ProbeTimeoutSeconds { get; set; } = 1;

    /// <summary>Missed probes before a silo is suspected (default 2; Orleans: 3).</summary>
    public int MissedProbesLimit { get; set; } = 2;

    /// <summary>How often the membership table is read (default 2 s; Orleans: 60 s).</summary>
    public double TableRefreshSeconds { get; set; } = 2;

    /// <summary>How often a silo writes its I-am-alive time to the table (default 5 s; Orleans: 30 s).</summary>
    public double IAmAlivePublishSeconds { get; set; } = 5;

    /// <summary>Suspicions needed to declare a silo dead (default 1; Orleans: 2).</summary>
    public int VotesForDeath { get; set; } = 1;

    /// <summary>Serve the Orleans Dashboard at <c>/dashboard</c> (default false).</summary>
    public bool Dashboard { get; set; }

    /// <summary>
    /// Run as a Kubernetes pod (default false; <c>Grid__Cluster__Kubernetes=true</c> in k8s/, docs/kubernetes.md):
    /// Orleans' Kubernetes hosting (Microsoft.Orleans.Hosting.Kubernetes) names the silo after its pod and takes the
    /// service and cluster ids from <c>ORLEANS_SERVICE_ID</c> and <c>ORLEANS_CLUSTER_ID</c> (the pod's
    /// <c>orleans/serviceId</c> and <c>orleans/clusterId</c> labels) instead of <see cref="ServiceId"/> and
    /// <see cref="ClusterId"/>; two silos watch the cluster's pods through the Kubernetes API and declare a silo dead
    /// once its pod is deleted, without waiting for missed probes, and a starting silo declares dead every active silo
    /// of the cluster that has no pod. Membership stays in Redis. It needs <c>POD_NAMESPACE</c>, <c>POD_NAME</c>,
    /// <c>POD_IP</c> and both ids in the environment (the downward API) and a service account allowed to get, list and
    /// watch pods; off, a silo runs anywhere without them.
    /// </summary>
    public bool Kubernetes { get; set; }
}

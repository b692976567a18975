using Grid.Deploy.Tests.Yaml;
using Orleans.Hosting.Kubernetes;

namespace Grid.Deploy.Tests.Checks;

/// <summary>The silo as a member of an Orleans cluster on Kubernetes (Microsoft.Orleans.Hosting.Kubernetes).</summary>
public static class OrleansChecks
{
    /// <summary>Each variable Orleans' Kubernetes hosting reads, and the downward-API field it must come from.</summary>
    public static readonly IReadOnlyDictionary<string, string> DownwardApi = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [KubernetesHostingOptions.PodNamespaceEnvironmentVariable] = "metadata.namespace",
        [KubernetesHostingOptions.PodNameEnvironmentVariable] = "metadata.name",
        [KubernetesHostingOptions.PodIPEnvironmentVariable] = "status.podIP",
        [KubernetesHostingOptions.ServiceIdEnvironmentVariable] = $"metadata.labels['{KubernetesHostingOptions.ServiceIdLabel}']",
        [KubernetesHostingOptions.ClusterIdEnvironmentVariable] = $"metadata.labels['{KubernetesHostingOptions.ClusterIdLabel}']",
    };

    /// <summary>
    /// Kubernetes hosting is on (<c>Grid__Cluster__Kubernetes=true</c>) and gets what it reads: the pods carry the
    /// <c>orleans/serviceId</c> and <c>orleans/clusterId</c> labels it finds the cluster's pods by, and POD_NAMESPACE,
    /// POD_NAME, POD_IP and the two ids come from the downward API — the ids from those very labels, so the package
    /// always finds its pod labelled with its own ids and never relabels it (the Role grants no patch).
    /// </summary>
    public static IEnumerable<string> Hosting(SiloView silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        foreach (string label in new[] { KubernetesHostingOptions.ServiceIdLabel, KubernetesHostingOptions.ClusterIdLabel })
        {
            if (string.IsNullOrEmpty(silo.Workload.PodLabels.GetValueOrDefault(label)))
            {
                yield return $"{silo.Workload}: the pod template has no label {label} (Orleans' Kubernetes hosting finds the cluster's pods by it)";
            }
        }
        foreach ((string variable, string field) in DownwardApi)
        {
            Node? entry = silo.Container.Node["env"].Items.FirstOrDefault(e => e["name"].Text == variable);
            if (entry?["valueFrom"]["fieldRef"]["fieldPath"].Text != field)
            {
                yield return $"{silo.Container}: {variable} does not come from the downward API's {field}";
            }
        }
        if (silo.Configuration.ValidationError is { } refused)
        {
            yield return $"{silo.Container}: Kubernetes hosting cannot be checked, the silo would refuse to start: {refused}";
            yield break;
        }
        if (!silo.Configuration.Options!.Cluster.Kubernetes)
        {
            yield return $"{silo.Container}: Grid__Cluster__Kubernetes is not true: the silos would run without Orleans' Kubernetes hosting";
        }
    }

    /// <summary>
    /// The silo container declares Orleans' silo-to-silo and gateway ports by name, at the ports the silo binds
    /// (<c>Grid:Cluster:SiloPort</c>, <c>Grid:Cluster:GatewayPort</c>).
    /// </summary>
    public static IEnumerable<string> Ports(SiloView silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (silo.Configuration.ValidationError is { } refused)
        {
            yield return $"{silo.Container}: Orleans' ports cannot be checked, the silo would refuse to start: {refused}";
            yield break;
        }
        var expected = new (string Name, int Port, string Setting)[]
        {
            (GridNames.OrleansSiloPort, silo.Configuration.Options!.Cluster.SiloPort, "Grid:Cluster:SiloPort"),
            (GridNames.OrleansGatewayPort, silo.Configuration.Options.Cluster.GatewayPort, "Grid:Cluster:GatewayPort"),
        };
        foreach ((string name, int port, string setting) in expected)
        {
            if (!silo.Container.NamedPorts.TryGetValue(name, out long declared))
            {
                yield return $"{silo.Container}: no container port '{name}' for the port the silo binds ({setting} {port})";
            }
            else if (declared != port)
            {
                yield return $"{silo.Container}: port '{name}' is {declared}, but the silo binds {port} ({setting})";
            }
        }
    }
}

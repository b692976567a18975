using System.Text.RegularExpressions;
using Grid.Deploy.Tests.Model;
using Grid.Deploy.Tests.Rendering;
using Grid.Deploy.Tests.Yaml;

namespace Grid.Deploy.Tests.Checks;

/// <summary>Checks every Deployment and StatefulSet: resources, ports, security settings, volumes.</summary>
public static partial class WorkloadChecks
{
    /// <summary>The resources every container requests and is limited to.</summary>
    public static readonly IReadOnlyList<string> RequiredResources = ["cpu", "memory"];

    /// <summary>
    /// Every container requests and limits CPU and memory with valid quantities, requests no more than its limit
    /// (the API server refuses that), and extended resources (GPUs) have equal request and limit.
    /// </summary>
    public static IEnumerable<string> Resources(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        foreach (Container container in manifest.Workloads.SelectMany(w => w.Containers))
        {
            foreach (string resource in RequiredResources)
            {
                if (!container.Requests.ContainsKey(resource))
                {
                    yield return $"{container} requests no {resource}";
                }
                if (!container.Limits.ContainsKey(resource))
                {
                    yield return $"{container} has no {resource} limit";
                }
            }
            foreach ((string resource, string text) in container.Requests.Concat(container.Limits))
            {
                if (!Quantity.TryParse(text, out _))
                {
                    yield return $"{container}: {resource} '{text}' is not a Kubernetes quantity";
                }
            }
            foreach ((string resource, string request) in container.Requests)
            {
                if (container.Limits.TryGetValue(resource, out string? limit)
                    && Quantity.TryParse(request, out decimal requested) && Quantity.TryParse(limit, out decimal limited))
                {
                    if (requested > limited)
                    {
                        yield return $"{container} requests {resource} {request}, above its limit {limit}";
                    }
                    if (resource.Contains('/', StringComparison.Ordinal) && requested != limited)
                    {
                        yield return $"{container}: extended resource {resource} must have request = limit ({request} vs {limit})";
                    }
                }
            }
        }
    }

    /// <summary>
    /// Every container port is named (an IANA service name: at most 15 lowercase letters, digits and '-'), names
    /// and numbers are unique within a pod, and every probe's port names a port of its container.
    /// </summary>
    public static IEnumerable<string> Ports(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        foreach (Workload workload in manifest.Workloads)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var numbers = new HashSet<long>();
            foreach (Container container in workload.Containers)
            {
                foreach (Node port in container.Node["ports"].Items)
                {
                    string? name = port["name"].Text;
                    if (name is null)
                    {
                        yield return $"{container}: port {port["containerPort"].Text} has no name";
                    }
                    else if (!PortNamePattern().IsMatch(name) || !name.Any(char.IsAsciiLetter))
                    {
                        yield return $"{container}: port name '{name}' is not an IANA service name (1-15 of a-z, 0-9, '-')";
                    }
                    else if (!names.Add(name))
                    {
                        yield return $"{workload}: port name '{name}' is used twice";
                    }
                    if (port["containerPort"].Number is { } number && !numbers.Add(number))
                    {
                        yield return $"{workload}: container port {number} is declared twice";
                    }
                }
                foreach (string probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
                {
                    foreach (string handler in new[] { "httpGet", "tcpSocket", "grpc" })
                    {
                        Node probePort = container.Node[probe][handler]["port"];
                        if (probePort.Exists && container.ResolvePort(probePort) is null)
                        {
                            yield return $"{container}: {probe} port '{probePort.Text}' names no port of the container";
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Pods run as a non-root user with the runtime's seccomp profile; containers cannot escalate privileges, drop
    /// every capability and have a read-only root filesystem; every mount names a volume of the pod (or a claim
    /// template), and a read-only root has a writable emptyDir at /tmp unless the container writes only to volumes.
    /// </summary>
    public static IEnumerable<string> Security(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        foreach (Workload workload in manifest.Workloads)
        {
            Node pod = workload.PodSpec["securityContext"];
            if (pod["runAsNonRoot"].Text != "true")
            {
                yield return $"{workload}: the pod does not set runAsNonRoot: true";
            }
            if (pod["runAsUser"].Number is null or 0)
            {
                yield return $"{workload}: the pod sets no non-zero runAsUser (runAsNonRoot cannot check a named USER)";
            }
            if (pod["seccompProfile"]["type"].Text != "RuntimeDefault")
            {
                yield return $"{workload}: the pod's seccompProfile is not RuntimeDefault";
            }
            HashSet<string> volumes = [
                .. workload.PodSpec["volumes"].Items.Select(v => v["name"].Text ?? ""),
                .. workload.Resource.Spec["volumeClaimTemplates"].Items.Select(t => t["metadata"]["name"].Text ?? "")];
            foreach (Container container in workload.Containers)
            {
                Node security = container.Node["securityContext"];
                if (security["allowPrivilegeEscalation"].Text != "false")
                {
                    yield return $"{container} does not set allowPrivilegeEscalation: false";
                }
                if (security["readOnlyRootFilesystem"].Text != "true")
                {
                    yield return $"{container} does not set readOnlyRootFilesystem: true";
                }
                if (!security["capabilities"]["drop"].Items.Any(c => c.Text == "ALL"))
                {
                    yield return $"{container} does not drop ALL capabilities";
                }
                foreach ((string path, string volume) in container.Mounts.Where(m => !volumes.Contains(m.Value)))
                {
                    yield return $"{container} mounts '{volume}' at {path}, which is no volume of the pod";
                }
            }
        }
    }

    /// <summary>The silo's root filesystem is read-only, so .NET's temporary files need a writable emptyDir at /tmp.</summary>
    public static IEnumerable<string> SiloTemporaryDirectory(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        Workload silo = manifest.GetWorkload(GridNames.Silo);
        Container container = silo.Container(GridNames.SiloContainer);
        if (!container.Mounts.TryGetValue("/tmp", out string? volume))
        {
            yield return $"{container} mounts nothing at /tmp, but its root filesystem is read-only";
            yield break;
        }
        Node declared = silo.PodSpec["volumes"].Items.FirstOrDefault(v => v["name"].Text == volume) ?? new Node(null, "volumes");
        if (!declared["emptyDir"].IsMapping)
        {
            yield return $"{container}: /tmp is volume '{volume}', which is not an emptyDir";
        }
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$")]
    private static partial Regex PortNamePattern();
}

using Grid.Deploy.Tests.Rendering;
using Grid.Deploy.Tests.Yaml;

namespace Grid.Deploy.Tests.Checks;

/// <summary>What makes the GPU overlay land on GPU nodes with one GPU per silo, and keeps the CPU overlay off them.</summary>
public static class AcceleratorChecks
{
    /// <summary>
    /// The silo asks for exactly one nvidia.com/gpu, selects GPU nodes, tolerates their nvidia.com/gpu NoSchedule
    /// taint, runs its codec on cuda:0 (the pod's one GPU) and uses a CUDA image.
    /// </summary>
    public static IEnumerable<string> Gpu(SiloView silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (silo.Container.Limits.GetValueOrDefault(GridNames.GpuResource) != "1")
        {
            yield return $"{silo.Container}: limits.{GridNames.GpuResource} is '{silo.Container.Limits.GetValueOrDefault(GridNames.GpuResource) ?? "(none)"}', not 1";
        }
        if (!GpuNodeSelector(silo.Workload.PodSpec).Any())
        {
            yield return $"{silo.Workload}: no nodeSelector for GPU nodes (e.g. nvidia.com/gpu.present: \"true\")";
        }
        if (!GpuTolerations(silo.Workload.PodSpec).Any(t => t["effect"].Text is null or "NoSchedule"))
        {
            yield return $"{silo.Workload}: no toleration of the {GridNames.GpuResource}:NoSchedule taint";
        }
        if (silo.Configuration.Options?.Device != "cuda:0")
        {
            yield return $"{silo.Container}: Grid__Device is '{silo.Configuration.Options?.Device}', not cuda:0";
        }
        if (!ImageTag(silo.Container.Image).Contains("cuda", StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{silo.Container}: image '{silo.Container.Image}' is not a CUDA build (its tag names no cuda)";
        }
    }

    /// <summary>
    /// No container asks for a GPU, the silo neither selects nor tolerates GPU nodes (it would take them from GPU
    /// work), runs on the CPU with a CPU image, and an autoscaling/v2 HPA scales it.
    /// </summary>
    public static IEnumerable<string> Cpu(SiloView silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        foreach (Container container in silo.Manifest.Workloads.SelectMany(w => w.Containers))
        {
            if (container.Limits.ContainsKey(GridNames.GpuResource) || container.Requests.ContainsKey(GridNames.GpuResource))
            {
                yield return $"{container} asks for {GridNames.GpuResource}";
            }
        }
        if (GpuNodeSelector(silo.Workload.PodSpec).Any())
        {
            yield return $"{silo.Workload} selects GPU nodes";
        }
        if (GpuTolerations(silo.Workload.PodSpec).Any())
        {
            yield return $"{silo.Workload} tolerates the {GridNames.GpuResource} taint";
        }
        if (silo.Configuration.Options?.Device != "cpu")
        {
            yield return $"{silo.Container}: Grid__Device is '{silo.Configuration.Options?.Device}', not cpu";
        }
        if (ImageTag(silo.Container.Image).Contains("cuda", StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{silo.Container}: image '{silo.Container.Image}' is a CUDA build";
        }
        bool scaled = silo.Manifest.OfKind("HorizontalPodAutoscaler").Any(h =>
            h.Spec["scaleTargetRef"]["name"].Text == silo.Workload.Name
            && h.Spec["metrics"].Items.Any(m => m["resource"]["name"].Text == "cpu"));
        if (!scaled)
        {
            yield return $"no HorizontalPodAutoscaler scales {silo.Workload} on CPU";
        }
    }

    private static IEnumerable<string> GpuNodeSelector(Node podSpec) =>
        podSpec["nodeSelector"].StringMap().Keys.Where(k => k.StartsWith("nvidia.com/gpu", StringComparison.Ordinal));

    private static IEnumerable<Node> GpuTolerations(Node podSpec) =>
        podSpec["tolerations"].Items.Where(t => t["key"].Text == GridNames.GpuResource);

    private static string ImageTag(string image)
    {
        int slash = image.LastIndexOf('/');
        int colon = image.IndexOf(':', slash + 1);
        return colon < 0 ? "latest" : image[(colon + 1)..];
    }
}

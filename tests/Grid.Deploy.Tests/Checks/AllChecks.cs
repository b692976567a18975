using Grid.Deploy.Tests.Rendering;

namespace Grid.Deploy.Tests.Checks;

/// <summary>Every check at once, for a rendered overlay of either kind.</summary>
public static class AllChecks
{
    /// <summary>All problems of <paramref name="manifest"/>; <paramref name="gpu"/> picks the accelerator rules.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(Manifest manifest, bool gpu)
    {
        SiloView silo = await SiloView.BuildAsync(manifest);
        return
        [
            .. MetadataChecks.Namespaces(manifest),
            .. MetadataChecks.Labels(manifest),
            .. WorkloadChecks.Resources(manifest),
            .. WorkloadChecks.Ports(manifest),
            .. WorkloadChecks.Security(manifest),
            .. WorkloadChecks.SiloTemporaryDirectory(manifest),
            .. ServiceChecks.Services(manifest),
            .. ServiceChecks.NetworkPolicies(manifest),
            .. ServiceChecks.DisruptionBudget(manifest),
            .. ServiceChecks.Autoscalers(manifest),
            .. SiloChecks.Probes(silo),
            .. SiloChecks.Rollout(silo),
            .. SiloChecks.Settings(silo),
            .. SiloChecks.RedisAddress(silo),
            .. SiloChecks.Metrics(silo),
            .. OrleansChecks.Hosting(silo),
            .. OrleansChecks.Ports(silo),
            .. RbacChecks.PodAccess(silo),
            .. RedisChecks.Durability(manifest),
            .. RedisChecks.Probes(manifest),
            .. (gpu ? AcceleratorChecks.Gpu(silo) : AcceleratorChecks.Cpu(silo)),
        ];
    }
}

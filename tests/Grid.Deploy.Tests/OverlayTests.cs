using Grid.Deploy.Tests.Checks;
using Grid.Deploy.Tests.Rendering;

namespace Grid.Deploy.Tests;

/// <summary>Every check passes on every overlay the repository ships (rendered by kubectl kustomize).</summary>
public sealed class OverlayTests
{
    public static TheoryData<string> All => Overlays.All;

    [Theory]
    [MemberData(nameof(All))]
    public void RendersGridNamespaceRedisAndSilo(string overlay)
    {
        Manifest manifest = Overlays.Render(overlay);
        string[] expected =
        [
            "Namespace/grid", "StatefulSet/redis", "Service/redis", "Service/redis-headless", "NetworkPolicy/redis",
            "Deployment/grid-silo", "Service/grid-silo", "PodDisruptionBudget/grid-silo",
            "ServiceAccount/grid-silo", "Role/grid-silo", "RoleBinding/grid-silo",
        ];
        string[] rendered = [.. manifest.Objects.Select(o => o.ToString())];
        Assert.All(expected, e => Assert.Contains(e, rendered));
        Assert.Equal(2, manifest.OfKind("ConfigMap").Count());
    }

    [Theory]
    [MemberData(nameof(All))]
    public void NamespacedObjectsAreInGrid(string overlay) =>
        Problems.AssertNone(MetadataChecks.Namespaces(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void LabelsAreConsistent(string overlay) =>
        Problems.AssertNone(MetadataChecks.Labels(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void EveryContainerHasResources(string overlay) =>
        Problems.AssertNone(WorkloadChecks.Resources(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void ContainerPortsAreNamedAndConsistent(string overlay) =>
        Problems.AssertNone(WorkloadChecks.Ports(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void PodsRunUnprivilegedWithReadOnlyRoots(string overlay)
    {
        Manifest manifest = Overlays.Render(overlay);
        Problems.AssertNone(WorkloadChecks.Security(manifest).Concat(WorkloadChecks.SiloTemporaryDirectory(manifest)), overlay);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void ServicesSelectTheirPodsAndPorts(string overlay) =>
        Problems.AssertNone(ServiceChecks.Services(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void OnlySilosReachRedis(string overlay) =>
        Problems.AssertNone(ServiceChecks.NetworkPolicies(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void DisruptionBudgetSelectsSilosAndAllowsDrains(string overlay) =>
        Problems.AssertNone(ServiceChecks.DisruptionBudget(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void AutoscalersTargetRealDeployments(string overlay) =>
        Problems.AssertNone(ServiceChecks.Autoscalers(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public async Task ProbesCallTheSilosHealthRoutes(string overlay) =>
        Problems.AssertNone(SiloChecks.Probes(await SiloView.BuildAsync(Overlays.Render(overlay))), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public async Task RolloutsKeepSilosServingAndDrainsFinish(string overlay) =>
        Problems.AssertNone(SiloChecks.Rollout(await SiloView.BuildAsync(Overlays.Render(overlay))), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public async Task SiloAcceptsItsSettings(string overlay) =>
        Problems.AssertNone(SiloChecks.Settings(await SiloView.BuildAsync(Overlays.Render(overlay))), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public async Task SiloReachesRedisThroughItsService(string overlay) =>
        Problems.AssertNone(SiloChecks.RedisAddress(await SiloView.BuildAsync(Overlays.Render(overlay))), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public async Task PrometheusScrapesTheSilosMetrics(string overlay) =>
        Problems.AssertNone(SiloChecks.Metrics(await SiloView.BuildAsync(Overlays.Render(overlay))), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public async Task SilosUseOrleansKubernetesHostingWithThePodsIdentity(string overlay) =>
        Problems.AssertNone(OrleansChecks.Hosting(await SiloView.BuildAsync(Overlays.Render(overlay))), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public async Task OrleansSiloAndGatewayPortsAreDeclared(string overlay) =>
        Problems.AssertNone(OrleansChecks.Ports(await SiloView.BuildAsync(Overlays.Render(overlay))), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public async Task SiloMayReadPodsAndNothingMore(string overlay) =>
        Problems.AssertNone(RbacChecks.PodAccess(await SiloView.BuildAsync(Overlays.Render(overlay))), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void RedisKeepsEveryAcknowledgedFrame(string overlay) =>
        Problems.AssertNone(RedisChecks.Durability(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void RedisProbesPing(string overlay) =>
        Problems.AssertNone(RedisChecks.Probes(Overlays.Render(overlay)), overlay);

    [Fact]
    public async Task GpuOverlayPutsOneSiloOnEachGpu() =>
        Problems.AssertNone(AcceleratorChecks.Gpu(await SiloView.BuildAsync(Overlays.Render(Overlays.Gpu))), Overlays.Gpu);

    [Fact]
    public async Task CpuOverlayStaysOffGpusAndAutoscales() =>
        Problems.AssertNone(AcceleratorChecks.Cpu(await SiloView.BuildAsync(Overlays.Render(Overlays.Cpu))), Overlays.Cpu);

    [Fact]
    public async Task EachOverlayFailsTheOtherOverlaysAcceleratorCheck()
    {
        // The two checks are not vacuous: each overlay breaks the other's rules on every point.
        SiloView gpu = await SiloView.BuildAsync(Overlays.Render(Overlays.Gpu));
        SiloView cpu = await SiloView.BuildAsync(Overlays.Render(Overlays.Cpu));
        string[] gpuAsCpu = [.. AcceleratorChecks.Cpu(gpu)];
        string[] cpuAsGpu = [.. AcceleratorChecks.Gpu(cpu)];
        Assert.Equal(6, gpuAsCpu.Length);
        Assert.Equal(5, cpuAsGpu.Length);
    }
}

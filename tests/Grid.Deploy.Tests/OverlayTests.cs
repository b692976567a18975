using Grid.Deploy.Tests.Checks;
using Grid.Deploy.Tests.Rendering;

namespace Grid.Deploy.Tests;

/// <summary>Every check passes on every overlay the repository ships (rendered by kubectl kustomize).</summary>
public sealed class OverlayTests
{
    public static TheoryData<string> All => Overlays.All;

    [Theory]
    [MemberData(nameof(All))]
    public void Renders_grid_namespace_redis_and_silo(string overlay)
    {
        Manifest manifest = Overlays.Render(overlay);
        string[] expected =
        [
            "Namespace/grid", "StatefulSet/redis", "Service/redis", "Service/redis-headless", "NetworkPolicy/redis",
            "Deployment/grid-silo", "Service/grid-silo", "PodDisruptionBudget/grid-silo",
        ];
        string[] rendered = [.. manifest.Objects.Select(o => o.ToString())];
        Assert.All(expected, e => Assert.Contains(e, rendered));
        Assert.Equal(2, manifest.OfKind("ConfigMap").Count());
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Namespaced_objects_are_in_grid(string overlay) =>
        Problems.AssertNone(MetadataChecks.Namespaces(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void Labels_are_consistent(string overlay) =>
        Problems.AssertNone(MetadataChecks.Labels(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void Every_container_has_resources(string overlay) =>
        Problems.AssertNone(WorkloadChecks.Resources(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void Container_ports_are_named_and_consistent(string overlay) =>
        Problems.AssertNone(WorkloadChecks.Ports(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void Pods_run_unprivileged_with_read_only_roots(string overlay)
    {
        Manifest manifest = Overlays.Render(overlay);
        Problems.AssertNone(WorkloadChecks.Security(manifest).Concat(WorkloadChecks.SiloTemporaryDirectory(manifest)), overlay);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Services_select_their_pods_and_ports(string overlay) =>
        Problems.AssertNone(ServiceChecks.Services(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void Only_silos_reach_redis(string overlay) =>
        Problems.AssertNone(ServiceChecks.NetworkPolicies(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void Disruption_budget_selects_silos_and_allows_drains(string overlay) =>
        Problems.AssertNone(ServiceChecks.DisruptionBudget(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void Autoscalers_target_real_deployments(string overlay) =>
        Problems.AssertNone(ServiceChecks.Autoscalers(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public async Task Probes_call_the_silos_health_routes(string overlay) =>
        Problems.AssertNone(SiloChecks.Probes(await SiloView.BuildAsync(Overlays.Render(overlay))), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public async Task Rollouts_keep_silos_serving_and_drains_finish(string overlay) =>
        Problems.AssertNone(SiloChecks.Rollout(await SiloView.BuildAsync(Overlays.Render(overlay))), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public async Task Silo_accepts_its_settings(string overlay) =>
        Problems.AssertNone(SiloChecks.Settings(await SiloView.BuildAsync(Overlays.Render(overlay))), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public async Task Silo_reaches_redis_through_its_service(string overlay) =>
        Problems.AssertNone(SiloChecks.RedisAddress(await SiloView.BuildAsync(Overlays.Render(overlay))), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public async Task Prometheus_scrapes_the_silos_metrics(string overlay) =>
        Problems.AssertNone(SiloChecks.Metrics(await SiloView.BuildAsync(Overlays.Render(overlay))), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void Redis_keeps_every_acknowledged_frame(string overlay) =>
        Problems.AssertNone(RedisChecks.Durability(Overlays.Render(overlay)), overlay);

    [Theory]
    [MemberData(nameof(All))]
    public void Redis_probes_ping(string overlay) =>
        Problems.AssertNone(RedisChecks.Probes(Overlays.Render(overlay)), overlay);

    [Fact]
    public async Task Gpu_overlay_puts_one_silo_on_each_gpu() =>
        Problems.AssertNone(AcceleratorChecks.Gpu(await SiloView.BuildAsync(Overlays.Render(Overlays.Gpu))), Overlays.Gpu);

    [Fact]
    public async Task Cpu_overlay_stays_off_gpus_and_autoscales() =>
        Problems.AssertNone(AcceleratorChecks.Cpu(await SiloView.BuildAsync(Overlays.Render(Overlays.Cpu))), Overlays.Cpu);

    [Fact]
    public async Task Each_overlay_fails_the_other_overlays_accelerator_check()
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

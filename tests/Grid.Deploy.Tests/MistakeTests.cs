using Grid.Deploy.Tests.Checks;
using Grid.Deploy.Tests.Rendering;
using static Grid.Deploy.Tests.Rendering.TemporaryOverlay;

namespace Grid.Deploy.Tests;

/// <summary>
/// Each test makes one realistic mistake in a temporary overlay over the shipped one and shows that the checks name
/// it: the checks that pass on the real overlays are not vacuous.
/// </summary>
public sealed class MistakeTests
{
    private static async Task AssertCaught(string overlay, string body, string expected, IReadOnlyDictionary<string, string>? files = null)
    {
        Manifest manifest = TemporaryOverlay.Render(overlay, body, files);
        Problems.AssertFound(await AllChecks.RunAsync(manifest, overlay == Overlays.Gpu), expected);
    }

    [Fact]
    public Task ReadinessOnAPathTheSiloDoesNotServe() => AssertCaught(Overlays.Cpu,
        SiloContainerPatch("readinessProbe:\n  httpGet:\n    path: /healthz"),
        "readinessProbe calls '/healthz', which the silo does not serve");

    [Fact]
    public Task LivenessOnReadiness() => AssertCaught(Overlays.Cpu,
        SiloContainerPatch("livenessProbe:\n  httpGet:\n    path: /health/ready"),
        "livenessProbe calls '/health/ready', not /health/live");

    [Fact]
    public Task ProbeOnAnotherPort() => AssertCaught(Overlays.Gpu,
        SiloContainerPatch("startupProbe:\n  httpGet:\n    port: 8080"),
        "startupProbe port '8080' is not the silo's port 5080");

    [Fact]
    public Task SiloListeningOnAnotherPortThanDeclared() => AssertCaught(Overlays.Cpu,
        SiloContainerPatch("env:\n  - name: ASPNETCORE_URLS\n    value: http://0.0.0.0:8080"),
        "but the silo listens on 8080");

    [Fact]
    public Task ReadinessTimeoutWithinTheRedisPing() => AssertCaught(Overlays.Cpu,
        SiloContainerPatch("readinessProbe:\n  timeoutSeconds: 2"),
        "readinessProbe timeoutSeconds 2 is not above");

    [Fact]
    public Task StartupProbeTooShortForAModelLoad() => AssertCaught(Overlays.Gpu,
        SiloContainerPatch("startupProbe:\n  failureThreshold: 6"),
        "startupProbe allows 30 s");

    [Fact]
    public Task RolloutThatMayStopAServingSiloFirst() => AssertCaught(Overlays.Cpu,
        JsonPatch("Deployment", "grid-silo", "- op: replace\n  path: /spec/strategy/rollingUpdate/maxUnavailable\n  value: 1"),
        "maxUnavailable is 1, not 0");

    [Fact]
    public Task GracePeriodShorterThanTheDrain() => AssertCaught(Overlays.Cpu,
        JsonPatch("Deployment", "grid-silo", "- op: replace\n  path: /spec/template/spec/terminationGracePeriodSeconds\n  value: 30"),
        "terminationGracePeriodSeconds 30 is not above preStop 5 s + the silo's drain 120 s");

    [Fact]
    public Task ShutdownTimeoutBeyondTheGracePeriod() => AssertCaught(Overlays.Gpu,
        SiloContainerPatch("env:\n  - name: DOTNET_SHUTDOWNTIMEOUTSECONDS\n    value: \"200\""),
        "terminationGracePeriodSeconds 180 is not above preStop 5 s + the silo's drain 200 s");

    [Fact]
    public Task NoShutdownTimeout() => AssertCaught(Overlays.Cpu,
        SiloContainerPatch("env:\n  - name: DOTNET_SHUTDOWNTIMEOUTSECONDS\n    $patch: delete"),
        "DOTNET_SHUTDOWNTIMEOUTSECONDS is not set");

    [Fact]
    public Task NoPreStopSleep() => AssertCaught(Overlays.Cpu,
        JsonPatch("Deployment", "grid-silo", "- op: remove\n  path: /spec/template/spec/containers/0/lifecycle"),
        "no preStop sleep");

    [Fact]
    public Task RedisAddressOnTheWrongPort() => AssertCaught(Overlays.Cpu,
        SiloContainerPatch("env:\n  - name: Grid__Redis\n    value: redis:6380"),
        "Grid__Redis port 6380 is not a port of Service/redis");

    [Fact]
    public Task RedisAddressNamingNoService() => AssertCaught(Overlays.Gpu,
        SiloContainerPatch("env:\n  - name: Grid__Redis\n    value: redis-master.grid.svc.cluster.local:6379"),
        "Grid__Redis host 'redis-master.grid.svc.cluster.local' is not the DNS name of a Service in namespace 'grid'");

    [Fact]
    public Task RedisAddressInAnotherNamespace() => AssertCaught(Overlays.Cpu,
        SiloContainerPatch("env:\n  - name: Grid__Redis\n    value: redis.default:6379"),
        "is not the DNS name of a Service in namespace 'grid'");

    [Fact]
    public Task MisspeltSetting() => AssertCaught(Overlays.Cpu,
        SiloSettings("Grid__MaxBach=4"),
        "Grid__MaxBach names no silo setting");

    [Fact]
    public Task SettingTheSiloRefuses() => AssertCaught(Overlays.Gpu,
        SiloSettings("Grid__Device=gpu"),
        "the silo would refuse to start: Grid:Device 'gpu' is not cpu, cuda or cuda:N");

    [Fact]
    public Task CodecThreadsAboveTheCpuLimit() => AssertCaught(Overlays.Cpu,
        SiloSettings("Grid__CodecThreads=8"),
        "Grid__CodecThreads is 8 but the CPU limit is 4");

    [Fact]
    public Task FractionalCpuLimit() => AssertCaught(Overlays.Cpu,
        SiloContainerPatch("resources:\n  limits:\n    cpu: 3500m"),
        "CPU limit 3500m is not whole cores");

    [Fact]
    public Task RedisFsyncingEverySecond() => AssertCaught(Overlays.Cpu,
        "configMapGenerator:\n  - name: redis-config\n    behavior: replace\n    files:\n      - redis.conf",
        "appendfsync is 'everysec', not always",
        new Dictionary<string, string> { ["redis.conf"] = "appendonly yes\nappendfsync everysec\ndir /data\nmaxmemory 2gb\n" });

    [Fact]
    public Task RedisWithoutAof() => AssertCaught(Overlays.Gpu,
        "configMapGenerator:\n  - name: redis-config\n    behavior: replace\n    files:\n      - redis.conf",
        "appendonly is 'no (default)', not yes",
        new Dictionary<string, string> { ["redis.conf"] = "appendfsync always\ndir /data\nmaxmemory 2gb\n" });

    [Fact]
    public Task RedisMaxmemoryWithoutRoomForARewrite() => AssertCaught(Overlays.Cpu,
        "configMapGenerator:\n  - name: redis-config\n    behavior: replace\n    files:\n      - redis.conf",
        "maxmemory 4gb is over half the container's memory limit 5Gi",
        new Dictionary<string, string> { ["redis.conf"] = "appendonly yes\nappendfsync always\ndir /data\nmaxmemory 4gb\n" });

    [Fact]
    public Task RedisDataDirectoryOffTheVolume() => AssertCaught(Overlays.Cpu,
        "configMapGenerator:\n  - name: redis-config\n    behavior: replace\n    files:\n      - redis.conf",
        "nothing is mounted at the data directory /var/lib/redis",
        new Dictionary<string, string> { ["redis.conf"] = "appendonly yes\nappendfsync always\ndir /var/lib/redis\nmaxmemory 2gb\n" });

    [Fact]
    public Task RedisReadyWhileLoading() => AssertCaught(Overlays.Cpu,
        JsonPatch("StatefulSet", "redis", "- op: replace\n  path: /spec/template/spec/containers/0/readinessProbe/exec/command\n  value: [redis-cli, ping]"),
        "readinessProbe 'redis-cli ping' passes while Redis is still loading");

    [Fact]
    public Task ServiceSelectorWithATypo() => AssertCaught(Overlays.Cpu,
        JsonPatch("Service", "grid-silo", "- op: replace\n  path: /spec/selector/app.kubernetes.io~1name\n  value: grid-sil0"),
        "Service/grid-silo selects");

    [Fact]
    public Task ServiceToAPortThePodLacks() => AssertCaught(Overlays.Gpu,
        JsonPatch("Service", "redis", "- op: replace\n  path: /spec/ports/0/targetPort\n  value: 6380"),
        "Service/redis: targetPort '6380' is no port of StatefulSet/redis's containers");

    [Fact]
    public Task DisruptionBudgetThatBlocksDrains() => AssertCaught(Overlays.Cpu,
        JsonPatch("PodDisruptionBudget", "grid-silo", "- op: replace\n  path: /spec/minAvailable\n  value: 2"),
        "minAvailable 2 with as few as 2 silos allows no eviction");

    [Fact]
    public Task DisruptionBudgetSelectingNothing() => AssertCaught(Overlays.Gpu,
        JsonPatch("PodDisruptionBudget", "grid-silo", "- op: replace\n  path: /spec/selector/matchLabels/app.kubernetes.io~1name\n  value: silo"),
        "0 PodDisruptionBudgets select the silo's pods");

    [Fact]
    public Task NetworkPolicyShuttingSilosOut() => AssertCaught(Overlays.Cpu,
        JsonPatch("NetworkPolicy", "redis", "- op: replace\n  path: /spec/ingress/0/from/0/podSelector/matchLabels/app.kubernetes.io~1name\n  value: grid"),
        "does not admit the silo's pods");

    [Fact]
    public Task ReplicasFightingTheAutoscaler() => AssertCaught(Overlays.Cpu,
        "replicas:\n  - name: grid-silo\n    count: 3",
        "Deployment/grid-silo sets replicas although HorizontalPodAutoscaler/grid-silo owns the count");

    [Fact]
    public Task ContainerWithoutAMemoryLimit() => AssertCaught(Overlays.Cpu,
        JsonPatch("StatefulSet", "redis", "- op: remove\n  path: /spec/template/spec/containers/0/resources/limits/memory"),
        "StatefulSet/redis/redis has no memory limit");

    [Fact]
    public Task RequestAboveLimit() => AssertCaught(Overlays.Gpu,
        SiloContainerPatch("resources:\n  requests:\n    memory: 16Gi"),
        "requests memory 16Gi, above its limit 8Gi");

    [Fact]
    public Task UnnamedContainerPort() => AssertCaught(Overlays.Cpu,
        JsonPatch("StatefulSet", "redis", "- op: remove\n  path: /spec/template/spec/containers/0/ports/0/name"),
        "port 6379 has no name");

    [Fact]
    public Task ObjectOutsideTheNamespace() => AssertCaught(Overlays.Cpu,
        "configMapGenerator:\n  - name: stray\n    namespace: default\n    literals:\n      - a=b",
        "is in namespace 'default', not 'grid'");

    [Fact]
    public Task PodTemplateMissingItsComponentLabel() => AssertCaught(Overlays.Cpu,
        JsonPatch("Deployment", "grid-silo", "- op: remove\n  path: /spec/template/metadata/labels/app.kubernetes.io~1component"),
        "pod template has app.kubernetes.io/component=(none)");

    [Fact]
    public Task RootFilesystemLeftWritable() => AssertCaught(Overlays.Gpu,
        SiloContainerPatch("securityContext:\n  readOnlyRootFilesystem: false"),
        "does not set readOnlyRootFilesystem: true");

    [Fact]
    public Task GpuRequestedByTheCpuOverlay() => AssertCaught(Overlays.Cpu,
        SiloContainerPatch("resources:\n  limits:\n    nvidia.com/gpu: 1\n  requests:\n    nvidia.com/gpu: 1"),
        "asks for nvidia.com/gpu");

    [Fact]
    public Task GpuOverlayWithoutTheToleration() => AssertCaught(Overlays.Gpu,
        JsonPatch("Deployment", "grid-silo", "- op: remove\n  path: /spec/template/spec/tolerations"),
        "no toleration of the nvidia.com/gpu:NoSchedule taint");

    [Fact]
    public Task KubernetesHostingLeftOff() => AssertCaught(Overlays.Gpu,
        SiloSettings("Grid__Cluster__Kubernetes=false"),
        "Grid__Cluster__Kubernetes is not true");

    [Fact]
    public Task PodNamespaceMissing() => AssertCaught(Overlays.Cpu,
        SiloContainerPatch("env:\n  - name: POD_NAMESPACE\n    $patch: delete"),
        "the silo would refuse to start: Grid:Cluster:Kubernetes is on but POD_NAMESPACE is not set");

    [Fact]
    public Task ClusterIdWrittenOutInsteadOfTakenFromTheLabel() => AssertCaught(Overlays.Cpu,
        SiloContainerPatch("env:\n  - name: ORLEANS_CLUSTER_ID\n    value: grid\n    valueFrom: null"),
        "ORLEANS_CLUSTER_ID does not come from the downward API's metadata.labels['orleans/clusterId']");

    [Fact]
    public Task PodsWithoutTheServiceIdLabel() => AssertCaught(Overlays.Gpu,
        JsonPatch("Deployment", "grid-silo", "- op: remove\n  path: /spec/template/metadata/labels/orleans~1serviceId"),
        "the pod template has no label orleans/serviceId");

    [Fact]
    public Task SiloNamedOtherThanItsPod() => AssertCaught(Overlays.Cpu,
        SiloContainerPatch("env:\n  - name: Grid__Name\n    value: silo-1"),
        "Grid:Name 'silo-1' is not the pod's name");

    [Fact]
    public Task GatewayPortNotDeclared() => AssertCaught(Overlays.Cpu,
        JsonPatch("Deployment", "grid-silo", "- op: remove\n  path: /spec/template/spec/containers/0/ports/2"),
        "no container port 'orleans-gateway' for the port the silo binds (Grid:Cluster:GatewayPort 30000)");

    [Fact]
    public Task SiloPortMovedWithoutItsContainerPort() => AssertCaught(Overlays.Gpu,
        SiloSettings("Grid__Cluster__SiloPort=11112"),
        "port 'orleans-silo' is 11111, but the silo binds 11112 (Grid:Cluster:SiloPort)");

    [Fact]
    public Task RoleWithoutWatch() => AssertCaught(Overlays.Cpu,
        JsonPatch("Role", "grid-silo", "- op: replace\n  path: /rules/0/verbs\n  value: [get, list]"),
        "ServiceAccount/grid-silo cannot watch pods");

    [Fact]
    public Task RoleThatMayDeletePods() => AssertCaught(Overlays.Gpu,
        JsonPatch("Role", "grid-silo", "- op: add\n  path: /rules/0/verbs/-\n  value: delete"),
        "Role/grid-silo grants 'delete' on pods, which the silo does not need");

    [Fact]
    public Task RoleReadingSecrets() => AssertCaught(Overlays.Cpu,
        JsonPatch("Role", "grid-silo", "- op: add\n  path: /rules/-\n  value: {apiGroups: [\"\"], resources: [secrets], verbs: [get]}"),
        "Role/grid-silo grants get on secrets");

    [Fact]
    public Task RoleBoundToAnotherAccount() => AssertCaught(Overlays.Cpu,
        JsonPatch("RoleBinding", "grid-silo", "- op: replace\n  path: /subjects/0/name\n  value: default"),
        "no RoleBinding in namespace 'grid' gives ServiceAccount/grid-silo access to pods");

    [Fact]
    public Task SiloOnTheDefaultServiceAccount() => AssertCaught(Overlays.Gpu,
        JsonPatch("Deployment", "grid-silo", "- op: remove\n  path: /spec/template/spec/serviceAccountName"),
        "runs as the namespace's default service account");

    [Fact]
    public Task ServiceAccountTokenNotMounted() => AssertCaught(Overlays.Cpu,
        JsonPatch("Deployment", "grid-silo", "- op: replace\n  path: /spec/template/spec/automountServiceAccountToken\n  value: false"),
        "does not mount its service account token");

    [Fact]
    public Task GpuOverlayOnTheCpu() => AssertCaught(Overlays.Gpu,
        SiloSettings("Grid__Device=cpu"),
        "Grid__Device is 'cpu', not cuda:0");
}

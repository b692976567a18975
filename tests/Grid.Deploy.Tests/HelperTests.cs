using Grid.Deploy.Tests.Model;
using Grid.Deploy.Tests.Rendering;
using Grid.Deploy.Tests.Silo;
using Grid.TestSupport;

namespace Grid.Deploy.Tests;

/// <summary>The parsers and resolvers the checks stand on.</summary>
public sealed class HelperTests
{
    [Theory]
    [InlineData("4", 4)]
    [InlineData("500m", 0.5)]
    [InlineData("2Gi", 2147483648)]
    [InlineData("1.5Gi", 1610612736)]
    [InlineData("10M", 10000000)]
    [InlineData("128974848", 128974848)]
    [InlineData("129e6", 129000000)]
    [InlineData("1k", 1000)]
    [InlineData("1Ki", 1024)]
    public void QuantityParsesKubernetesUnits(string text, double expected) =>
        Assert.Equal((decimal)expected, Quantity.Parse(text));

    [Theory]
    [InlineData("2GB")]
    [InlineData("four")]
    [InlineData("")]
    [InlineData("1 Gi")]
    public void QuantityRefusesWhatKubernetesRefuses(string text)
    {
        FormatException e = Assert.Throws<FormatException>(() => Quantity.Parse(text));
        Assert.Contains("is not a Kubernetes quantity", e.Message, StringComparison.Ordinal);
        Assert.False(Quantity.TryParse(text, out _));
    }

    [Theory]
    [InlineData("2gb", 2147483648)]
    [InlineData("2g", 2000000000)]
    [InlineData("512mb", 536870912)]
    [InlineData("100k", 100000)]
    [InlineData("1048576", 1048576)]
    [InlineData("1GB", 1073741824)]
    public void RedisSizesFollowRedisUnits(string text, long expected) =>
        Assert.Equal(expected, RedisConfig.ParseBytes(text));

    [Fact]
    public void RedisConfigTakesTheLastDirectiveAndStripsQuotesAndComments()
    {
        RedisConfig config = RedisConfig.Parse("# comment\nappendfsync everysec\n  appendfsync always  \nappenddirname \"aof\"\nsave \"\"\n");
        Assert.Equal("always", config["appendfsync"]);
        Assert.Equal("aof", config["appenddirname"]);
        Assert.Equal("", config["save"]);
        Assert.Null(config["comment"]);
        Assert.Null(config["appendonly"]);
    }

    [Fact]
    public void EnvironmentExpansionFollowsTheKubelet()
    {
        var defined = new Dictionary<string, string> { ["POD_NAME"] = "p-1", ["PORT"] = "5080" };
        Assert.Equal("p-1", PodEnvironment.Expand("$(POD_NAME)", defined));
        Assert.Equal("http://p-1:5080/", PodEnvironment.Expand("http://$(POD_NAME):$(PORT)/", defined));
        Assert.Equal("$(POD_NAME)", PodEnvironment.Expand("$$(POD_NAME)", defined));
        Assert.Equal("$(UNDEFINED)", PodEnvironment.Expand("$(UNDEFINED)", defined));
    }

    [Fact]
    public void EnvironmentVariablesMapToTheSilosConfigurationKeys()
    {
        Assert.Equal(["Grid:MaxQueue"], SiloConfiguration.ConfigurationKeys("Grid__MaxQueue"));
        Assert.Equal(["POD_NAME"], SiloConfiguration.ConfigurationKeys("POD_NAME"));
        // Configuration keys ignore case.
        Assert.Equal(["ASPNETCORE_URLS", "URLS"], SiloConfiguration.ConfigurationKeys("ASPNETCORE_URLS"));
        Assert.Equal(["DOTNET_SHUTDOWNTIMEOUTSECONDS", "SHUTDOWNTIMEOUTSECONDS"], SiloConfiguration.ConfigurationKeys("DOTNET_SHUTDOWNTIMEOUTSECONDS"));
        Assert.Contains("CodecThreads", SiloConfiguration.SettingNames);
        Assert.Contains("Cluster__Kubernetes", SiloConfiguration.SettingNames);
        Assert.Contains("Trainer__TickSeconds", SiloConfiguration.SettingNames);
        Assert.DoesNotContain("Cluster", SiloConfiguration.SettingNames);
        Assert.DoesNotContain("SectionName", SiloConfiguration.SettingNames);
    }

    [Fact]
    public void DownwardApiLabelsResolveFromThePodTemplate()
    {
        Manifest manifest = Manifest.Parse("test", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: w, namespace: grid}
            spec:
              template:
                metadata:
                  labels: {orleans/serviceId: svc}
                spec:
                  containers:
                    - name: c
                      env:
                        - {name: NS, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
                        - {name: SERVICE, valueFrom: {fieldRef: {fieldPath: "metadata.labels['orleans/serviceId']"}}}
                        - {name: CLUSTER, valueFrom: {fieldRef: {fieldPath: "metadata.labels['orleans/clusterId']"}}}
            """);
        IReadOnlyDictionary<string, string> environment = PodEnvironment.Resolve(manifest, manifest.GetWorkload("w").Container("c"));
        Assert.Equal("grid", environment["NS"]);
        Assert.Equal("svc", environment["SERVICE"]);
        Assert.Equal("", environment["CLUSTER"]); // a missing label gives an empty value
    }

    [Fact]
    public async Task SiloConfigurationHonoursTheHostsShutdownTimeoutVariable()
    {
        SiloConfiguration silo = await SiloConfiguration.BuildAsync(new Dictionary<string, string> { ["DOTNET_SHUTDOWNTIMEOUTSECONDS"] = "120" });
        Assert.Equal(TimeSpan.FromSeconds(120), silo.ShutdownTimeout);
    }

    [Fact]
    public async Task KubernetesHostingNeedsThePodsVariables()
    {
        SiloConfiguration silo = await SiloConfiguration.BuildAsync(new Dictionary<string, string>
        {
            ["Grid__Cluster__Kubernetes"] = "true",
            ["POD_NAME"] = "grid-silo-1",
            ["POD_IP"] = "not-an-ip",
            ["Grid__Name"] = "another-name",
        });
        Assert.Null(silo.Options);
        // Every failure at once.
        Assert.Contains("POD_NAMESPACE is not set", silo.ValidationError, StringComparison.Ordinal);
        Assert.Contains("ORLEANS_SERVICE_ID is not set", silo.ValidationError, StringComparison.Ordinal);
        Assert.Contains("ORLEANS_CLUSTER_ID is not set", silo.ValidationError, StringComparison.Ordinal);
        Assert.Contains("POD_IP 'not-an-ip' is not an IP address", silo.ValidationError, StringComparison.Ordinal);
        Assert.Contains("Grid:Name 'another-name' is not the pod's name 'grid-silo-1'", silo.ValidationError, StringComparison.Ordinal);
        Assert.DoesNotContain("POD_NAME is not set", silo.ValidationError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SiloConfigurationReadsTheSilosRoutesAndShutdownTimeout()
    {
        SiloConfiguration silo = await SiloConfiguration.BuildAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "http://0.0.0.0:6000",
            ["Grid__MaxQueue"] = "7",
        });
        Assert.Null(silo.ValidationError);
        Assert.Equal(6000, silo.Port);
        Assert.Equal(7, silo.Options!.MaxQueue);
        Assert.Equal(TimeSpan.FromSeconds(30), silo.ShutdownTimeout);
        Assert.Superset(new HashSet<string> { "/health/live", "/health/ready", "/health/startup", "/metrics", "/v1/encode" }, new HashSet<string>(silo.Routes));
    }

    [Fact]
    public async Task SiloConfigurationReportsWhatTheValidatorRefuses()
    {
        SiloConfiguration silo = await SiloConfiguration.BuildAsync(new Dictionary<string, string> { ["Grid__MaxBatch"] = "0" });
        Assert.Null(silo.Options);
        Assert.Contains("Grid:MaxBatch is 0", silo.ValidationError, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingKubectlIsNamed()
    {
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(
            () => Kustomize.Render(Overlays.Directory(Overlays.Cpu), "kubectl-not-installed-here"));
        Assert.Contains("kubectl with kustomize is required", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FailingRenderCarriesKubectlsMessage()
    {
        string empty = TestPaths.CreateTempDirectory("grid-no-kustomization");
        try
        {
            InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => Kustomize.Render(empty));
            Assert.Contains("failed with exit code", e.Message, StringComparison.Ordinal);
            Assert.Contains("kustomization", e.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            TestPaths.DeleteDirectory(empty);
        }
    }

    [Fact]
    public void ManifestParsesMultiDocumentYamlAndRefusesNamelessObjects()
    {
        Manifest manifest = Manifest.Parse("test", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: grid\n---\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: grid\n");
        Assert.Equal(["ConfigMap/a", "Namespace/grid"], manifest.Objects.Select(o => o.ToString()));
        Assert.True(manifest.Get("ConfigMap", "a").IsNamespaced);
        Assert.False(manifest.Get("Namespace", "grid").IsNamespaced);
        Assert.Throws<InvalidDataException>(() => Manifest.Parse("test", "apiVersion: v1\nkind: ConfigMap\n"));
    }
}

using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Orleans.Hosting.Kubernetes;

namespace Grid.Silo.Options;

/// <summary>
/// Checks every setting and reports all failures at once (not just the first). <paramref name="configuration"/> gives
/// the environment Kubernetes hosting reads (<c>POD_NAME</c>, ...), as the host's configuration holds it.
/// </summary>
public sealed partial class SiloOptionsValidator(IConfiguration configuration) : IValidateOptions<SiloOptions>
{
    /// <summary>The variables Kubernetes hosting needs (<see cref="ClusterSettings.Kubernetes"/>), all from the downward API.</summary>
    public static IReadOnlyList<string> KubernetesVariables { get; } =
    [
        KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
        KubernetesHostingOptions.PodNameEnvironmentVariable,
        KubernetesHostingOptions.PodIPEnvironmentVariable,
        KubernetesHostingOptions.ServiceIdEnvironmentVariable,
        KubernetesHostingOptions.ClusterIdEnvironmentVariable,
    ];

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            failures.Add("Grid:Redis is empty; expected a Redis configuration string such as localhost:6379");
        }
        else
        {
            try
            {
                if (StackExchange.Redis.ConfigurationOptions.Parse(options.Redis).EndPoints.Count == 0)
                {
                    failures.Add($"Grid:Redis '{options.Redis}' names no endpoint");
                }
            }
            catch (ArgumentException e)
            {
                failures.Add($"Grid:Redis '{options.Redis}' is not a valid Redis configuration string: {e.Message}");
            }
        }
        if (options.Device is null || !DevicePattern().IsMatch(options.Device))
        {
            failures.Add($"Grid:Device '{options.Device}' is not cpu, cuda or cuda:N");
        }
        if (options.Precision is not ("fp32" or "tf32" or "bf16"))
        {
            failures.Add($"Grid:Precision '{options.Precision}' is not fp32, tf32 or bf16");
        }
        Range(failures, "DeviceBatch", options.DeviceBatch, 0, Grid.Native.InferenceOptions.MaxBatchLimit);
        Range(failures, "CodecThreads", options.CodecThreads, 1, 1024);
        Range(failures, "CodecLanes", options.CodecLanes, 0, 64);
        Range(failures, "MaxBatch", options.MaxBatch, 1, 1024);
        Range(failures, "MaxDelayMs", options.MaxDelayMs, 0, 10_000);
        Range(failures, "MaxQueue", options.MaxQueue, 1, 1_000_000);
        Range(failures, "MaxBodyBytes", options.MaxBodyBytes, 1024, int.MaxValue);
        Range(failures, "MaxImageSide", options.MaxImageSide, 1, ushort.MaxValue);
        Range(failures, "ModelCacheSize", options.ModelCacheSize, 1, 64);
        // At most a third of the registry grain's subscription lifetime (3 minutes), so a live silo never lapses.
        Range(failures, "ModelResubscribeSeconds", options.ModelResubscribeSeconds, 1, 60);
        Range(failures, "MaxInFlightPerSocket", options.MaxInFlightPerSocket, 1, 4096);
        if (options.Name is not null && !NamePattern().IsMatch(options.Name))
        {
            failures.Add($"Grid:Name '{options.Name}' must be 1 to 200 characters of letters, digits, '.', '_', '-' and ':'");
        }
        if (options.Url is not null && !Uri.TryCreate(options.Url, UriKind.Absolute, out _))
        {
            failures.Add($"Grid:Url '{options.Url}' is not an absolute URL");
        }
        if (options.Model is not null && !Directory.Exists(options.Model))
        {
            failures.Add($"Grid:Model '{options.Model}' is not a directory");
        }
        if (options.Cluster is null)
        {
            failures.Add("Grid:Cluster is missing");
        }
        else
        {
            ClusterSettings cluster = options.Cluster;
            Range(failures, "Cluster:SiloPort", cluster.SiloPort, 1, 65535);
            Range(failures, "Cluster:GatewayPort", cluster.GatewayPort, 1, 65535);
            if (cluster.SiloPort == cluster.GatewayPort)
            {
                failures.Add($"Grid:Cluster:SiloPort and GatewayPort are both {cluster.SiloPort}; they must differ");
            }
            if (cluster.AdvertisedAddress is not null && !System.Net.IPAddress.TryParse(cluster.AdvertisedAddress, out _))
            {
                failures.Add($"Grid:Cluster:AdvertisedAddress '{cluster.AdvertisedAddress}' is not an IP address");
            }
            if (string.IsNullOrWhiteSpace(cluster.ClusterId) || string.IsNullOrWhiteSpace(cluster.ServiceId))
            {
                failures.Add("Grid:Cluster:ClusterId and ServiceId must not be empty");
            }
            Range(failures, "Cluster:ProbeTimeoutSeconds", cluster.ProbeTimeoutSeconds, 0.1, 600);
            Range(failures, "Cluster:MissedProbesLimit", cluster.MissedProbesLimit, 1, 100);
            Range(failures, "Cluster:TableRefreshSeconds", cluster.TableRefreshSeconds, 0.1, 3600);
            Range(failures, "Cluster:IAmAlivePublishSeconds", cluster.IAmAlivePublishSeconds, 0.1, 3600);
            Range(failures, "Cluster:VotesForDeath", cluster.VotesForDeath, 1, 100);
            if (cluster.Kubernetes)
            {
                KubernetesFailures(failures, options);
            }
        }
        if (options.Trainer is null)
        {
            failures.Add("Grid:Trainer is missing");
        }
        else
        {
            failures.AddRange(options.Trainer.Validate().Select(e => "Grid:" + e));
        }
        if (options.Streams is null)
        {
            failures.Add("Grid:Streams is missing");
        }
        else
        {
            failures.AddRange(options.Streams.Validate().Select(e => "Grid:" + e));
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void KubernetesFailures(List<string> failures, SiloOptions options)
    {
        foreach (string variable in KubernetesVariables.Where(v => string.IsNullOrWhiteSpace(configuration[v])))
        {
            failures.Add($"Grid:Cluster:Kubernetes is on but {variable} is not set (the pod's downward API gives it; docs/kubernetes.md)");
        }
        string? podName = configuration[KubernetesHostingOptions.PodNameEnvironmentVariable];
        string? podIp = configuration[KubernetesHostingOptions.PodIPEnvironmentVariable];
        if (!string.IsNullOrWhiteSpace(podIp) && !System.Net.IPAddress.TryParse(podIp, out _))
        {
            failures.Add($"{KubernetesHostingOptions.PodIPEnvironmentVariable} '{podIp}' is not an IP address");
        }
        // Kubernetes hosting names the Orleans silo after its pod and declares dead any active silo whose name is no
        // pod's; device placement and GET /v1/status use Grid:Name. They must be the same name.
        if (options.Name is not null && !string.IsNullOrWhiteSpace(podName) && options.Name != podName)
        {
            failures.Add($"Grid:Name '{options.Name}' is not the pod's name '{podName}'; with Grid:Cluster:Kubernetes on, leave Grid:Name unset or set it to $(POD_NAME)");
        }
        // Other silos must reach this one at the pod's IP.
        if (options.Cluster.AdvertisedAddress is { } advertised && !string.IsNullOrWhiteSpace(podIp) && advertised != podIp)
        {
            failures.Add($"Grid:Cluster:AdvertisedAddress '{advertised}' is not the pod's IP '{podIp}'; with Grid:Cluster:Kubernetes on, leave it unset");
        }
    }

    private static void Range(List<string> failures, string key, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            failures.Add($"Grid:{key} is {value}; it must be between {min} and {max}");
        }
    }

    private static void Range(List<string> failures, string key, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            failures.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Grid:{key} is {value}; it must be between {min} and {max}"));
        }
    }

    [GeneratedRegex("^(cpu|cuda|cuda:[0-9]{1,3})$")]
    private static partial Regex DevicePattern();

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,200}$")]
    private static partial Regex NamePattern();
}

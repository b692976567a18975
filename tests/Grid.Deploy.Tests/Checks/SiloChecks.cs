using System.Globalization;
using System.Net;
using Grid.Deploy.Tests.Model;
using Grid.Deploy.Tests.Rendering;
using Grid.Deploy.Tests.Silo;
using Grid.Deploy.Tests.Yaml;
using StackExchange.Redis;

namespace Grid.Deploy.Tests.Checks;

/// <summary>Checks of the silo Deployment against what the silo really does (its routes, settings, drain).</summary>
public static class SiloChecks
{
    /// <summary>The host's shutdown timeout variable (<c>HostOptions.ShutdownTimeout</c>), as in the Orleans Voting sample.</summary>
    public const string ShutdownTimeoutVariable = "DOTNET_SHUTDOWNTIMEOUTSECONDS";

    /// <summary>The shortest time a silo is given to become started (Redis up, model loaded) before it is restarted.</summary>
    public static readonly TimeSpan MinimumStartupBudget = TimeSpan.FromMinutes(2);

    /// <summary>Each probe and the health endpoint it must call (docs/silo.md, "Health").</summary>
    public static readonly IReadOnlyDictionary<string, string> ProbePaths = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["startupProbe"] = "/health/startup",
        ["readinessProbe"] = "/health/ready",
        ["livenessProbe"] = "/health/live",
    };

    /// <summary>
    /// Startup, readiness and liveness probes are HTTP GETs of the silo's matching health routes (liveness never
    /// on /health/ready: a Redis outage would restart every silo) on the port the silo listens on; the readiness
    /// timeout exceeds the check's own 2 s Redis PING; the startup probe allows slow model loads.
    /// </summary>
    public static IEnumerable<string> Probes(SiloView silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (silo.Configuration.ValidationError is { } refused)
        {
            yield return $"{silo.Container}: probes cannot be checked, the silo would refuse to start: {refused}";
            yield break;
        }
        SiloConfiguration configuration = silo.Configuration;
        if (configuration.Port is not { } listening)
        {
            yield return $"the silo's listening address '{configuration.Urls}' has no port";
            yield break;
        }
        if (silo.Container.NamedPorts.GetValueOrDefault("http") != listening)
        {
            yield return $"{silo.Container}: port 'http' is {silo.Container.NamedPorts.GetValueOrDefault("http")}, but the silo listens on {listening} ({configuration.Urls})";
        }
        foreach ((string probe, string path) in ProbePaths)
        {
            Node get = silo.Container.Node[probe]["httpGet"];
            if (!get.Exists)
            {
                yield return $"{silo.Container} has no {probe} with httpGet";
                continue;
            }
            string? actual = get["path"].Text;
            if (actual != path)
            {
                yield return $"{silo.Container}: {probe} calls '{actual}', not {path}";
            }
            if (actual is not null && !configuration.Routes.Contains(actual))
            {
                yield return $"{silo.Container}: {probe} calls '{actual}', which the silo does not serve";
            }
            if (silo.Container.ResolvePort(get["port"]) != listening)
            {
                yield return $"{silo.Container}: {probe} port '{get["port"].Text}' is not the silo's port {listening}";
            }
        }
        Node readiness = silo.Container.Node["readinessProbe"];
        long readinessTimeout = readiness["timeoutSeconds"].Number ?? 1;
        if (readinessTimeout <= GridNames.ReadinessRedisTimeout.TotalSeconds)
        {
            yield return $"{silo.Container}: readinessProbe timeoutSeconds {readinessTimeout} is not above the readiness check's own {GridNames.ReadinessRedisTimeout.TotalSeconds} s Redis PING";
        }
        Node startup = silo.Container.Node["startupProbe"];
        long budget = (startup["periodSeconds"].Number ?? 10) * (startup["failureThreshold"].Number ?? 3);
        if (budget < MinimumStartupBudget.TotalSeconds)
        {
            yield return $"{silo.Container}: startupProbe allows {budget} s (periodSeconds x failureThreshold), under {MinimumStartupBudget.TotalSeconds} s for Redis and a slow model load";
        }
    }

    /// <summary>
    /// Rolling updates never go below the desired count of ready silos (maxUnavailable 0, maxSurge at least 1); a
    /// preStop sleep lets endpoint removal spread before the drain starts; DOTNET_SHUTDOWNTIMEOUTSECONDS sets the
    /// silo's shutdown timeout (its drain and Orleans leaving the cluster), and terminationGracePeriodSeconds covers the
    /// sleep plus that timeout, so SIGKILL never cuts a drain short.
    /// </summary>
    public static IEnumerable<string> Rollout(SiloView silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (silo.Configuration.ValidationError is { } refused)
        {
            yield return $"{silo.Container}: the rollout cannot be checked, the silo would refuse to start: {refused}";
            yield break;
        }
        Node strategy = silo.Workload.Resource.Spec["strategy"];
        if (strategy["type"].Text is not (null or "RollingUpdate"))
        {
            yield return $"{silo.Workload}: strategy {strategy["type"].Text} stops every silo before starting new ones";
        }
        string maxUnavailable = strategy["rollingUpdate"]["maxUnavailable"].Text ?? "25%";
        if (maxUnavailable is not ("0" or "0%"))
        {
            yield return $"{silo.Workload}: maxUnavailable is {maxUnavailable}, not 0: a rollout would take serving silos away before their replacements are ready";
        }
        string maxSurge = strategy["rollingUpdate"]["maxSurge"].Text ?? "25%";
        if (maxSurge is "0" or "0%")
        {
            yield return $"{silo.Workload}: maxSurge 0 with maxUnavailable 0 can never make progress";
        }

        long preStopSeconds = PreStopSleepSeconds(silo.Container.Node["lifecycle"]["preStop"]);
        if (preStopSeconds < 1)
        {
            yield return $"{silo.Container}: no preStop sleep, so SIGTERM (and not-ready) races the removal of the pod from Service endpoints";
        }
        double shutdownSeconds = silo.Configuration.ShutdownTimeout.TotalSeconds;
        if (!silo.Environment.TryGetValue(ShutdownTimeoutVariable, out string? configured))
        {
            yield return $"{silo.Container}: {ShutdownTimeoutVariable} is not set; the silo's drain and Orleans' leaving the cluster get the default {shutdownSeconds} s";
        }
        else if (!double.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out double seconds) || seconds != shutdownSeconds)
        {
            yield return $"{silo.Container}: {ShutdownTimeoutVariable} is '{configured}', but the silo's shutdown timeout would be {shutdownSeconds} s";
        }
        long grace = silo.Workload.PodSpec["terminationGracePeriodSeconds"].Number ?? 30;
        double needed = preStopSeconds + silo.Configuration.ShutdownTimeout.TotalSeconds;
        if (grace <= needed)
        {
            yield return $"{silo.Workload}: terminationGracePeriodSeconds {grace} is not above preStop {preStopSeconds} s + the silo's drain {silo.Configuration.ShutdownTimeout.TotalSeconds} s";
        }
    }

    /// <summary>
    /// The environment is one the silo starts with: every <c>Grid__</c> variable names a real setting (a typo would be
    /// ignored silently), the silo's own validator accepts the values, CodecThreads is set and equals the CPU limit
    /// in whole cores, and the silo's name is its pod's name. (Where POD_NAME and the other pod variables come from:
    /// <see cref="OrleansChecks.Hosting"/>.)
    /// </summary>
    public static IEnumerable<string> Settings(SiloView silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        foreach (string variable in silo.Environment.Keys.Where(k => k.StartsWith("Grid__", StringComparison.OrdinalIgnoreCase)))
        {
            string setting = variable["Grid__".Length..];
            if (!SiloConfiguration.SettingNames.Contains(setting))
            {
                yield return $"{silo.Container}: {variable} names no silo setting (the silo would ignore it); settings are {string.Join(", ", SiloConfiguration.SettingNames.Order(StringComparer.Ordinal))}";
            }
        }
        if (silo.Configuration.ValidationError is { } error)
        {
            yield return $"{silo.Container}: the silo would refuse to start: {error}";
            yield break;
        }
        if (!silo.Environment.TryGetValue("Grid__CodecThreads", out string? threadsText))
        {
            yield return $"{silo.Container}: Grid__CodecThreads is not set (it should equal the CPU limit)";
        }
        else if (silo.Container.Limits.TryGetValue("cpu", out string? cpuLimit) && Quantity.TryParse(cpuLimit, out decimal cores))
        {
            if (cores != decimal.Truncate(cores))
            {
                yield return $"{silo.Container}: CPU limit {cpuLimit} is not whole cores; the codec's threads would be throttled";
            }
            else if (silo.Configuration.Options!.CodecThreads != (int)cores)
            {
                yield return $"{silo.Container}: Grid__CodecThreads is {threadsText} but the CPU limit is {cpuLimit}: one codec thread per core";
            }
        }
        if (silo.Configuration.Options!.Name != PodEnvironment.SamplePodName)
        {
            yield return $"{silo.Container}: the silo's name would be '{silo.Configuration.Options.Name}', not its pod's name";
        }
    }

    /// <summary>
    /// Grid__Redis names the Redis Service by its DNS name (in the silo's namespace) and a port of that Service
    /// that reaches the Redis container's port.
    /// </summary>
    public static IEnumerable<string> RedisAddress(SiloView silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (!silo.Environment.TryGetValue("Grid__Redis", out string? configuration))
        {
            yield return $"{silo.Container}: Grid__Redis is not set (the silo would use localhost:6379)";
            yield break;
        }
        EndPoint[] endpoints = [.. ConfigurationOptions.Parse(configuration).EndPoints];
        if (endpoints is not [DnsEndPoint { Host: var host, Port: var port }])
        {
            yield return $"{silo.Container}: Grid__Redis '{configuration}' is not one host:port";
            yield break;
        }
        string ns = silo.Workload.Resource.Namespace ?? "default";
        string[] labels = host.Split('.');
        bool sameNamespaceForms = labels.Length == 1
            || (labels.Length >= 2 && labels[1] == ns && (labels.Length == 2 || string.Join('.', labels[2..]) is "svc" or "svc.cluster.local"));
        KubeObject? service = silo.Manifest.OfKind("Service").FirstOrDefault(s => s.Name == labels[0] && s.Namespace == ns);
        if (!sameNamespaceForms || service is null)
        {
            yield return $"{silo.Container}: Grid__Redis host '{host}' is not the DNS name of a Service in namespace '{ns}'";
            yield break;
        }
        Node? servicePort = service.Spec["ports"].Items.FirstOrDefault(p => p["port"].Number == port);
        if (servicePort is null)
        {
            yield return $"{silo.Container}: Grid__Redis port {port.ToString(CultureInfo.InvariantCulture)} is not a port of {service}";
            yield break;
        }
        Workload redis = silo.Manifest.GetWorkload(GridNames.Redis);
        if (!LabelSelector.FromMap(service.Spec["selector"].StringMap()).Matches(redis.PodLabels))
        {
            yield return $"{silo.Container}: Grid__Redis names {service}, which does not select the Redis pods";
            yield break;
        }
        Container container = redis.Container(GridNames.RedisContainer);
        Node target = servicePort["targetPort"].Exists ? servicePort["targetPort"] : servicePort["port"];
        if (container.ResolvePort(target) is not { } targetPort || !container.PortNumbers.Contains(targetPort))
        {
            yield return $"{service} port {port.ToString(CultureInfo.InvariantCulture)} goes to '{target.Text}', no port of {container}";
        }
    }

    /// <summary>The pod template asks Prometheus to scrape the silo's /metrics on the port it listens on.</summary>
    public static IEnumerable<string> Metrics(SiloView silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (silo.Configuration.ValidationError is { } refused)
        {
            yield return $"{silo.Container}: metrics cannot be checked, the silo would refuse to start: {refused}";
            yield break;
        }
        IReadOnlyDictionary<string, string> annotations = silo.Workload.PodAnnotations;
        if (annotations.GetValueOrDefault("prometheus.io/scrape") != "true")
        {
            yield return $"{silo.Workload}: pod annotation prometheus.io/scrape is not \"true\"";
        }
        string port = annotations.GetValueOrDefault("prometheus.io/port") ?? "(none)";
        if (port != silo.Configuration.Port?.ToString(CultureInfo.InvariantCulture))
        {
            yield return $"{silo.Workload}: prometheus.io/port is {port}, not the silo's port {silo.Configuration.Port}";
        }
        string path = annotations.GetValueOrDefault("prometheus.io/path") ?? "/metrics";
        if (!silo.Configuration.Routes.Contains(path))
        {
            yield return $"{silo.Workload}: prometheus.io/path {path} is not a route of the silo";
        }
    }

    /// <summary>Seconds a preStop hook sleeps: <c>sleep.seconds</c>, or an exec of <c>sleep N</c> (directly or through a shell).</summary>
    public static long PreStopSleepSeconds(Node preStop)
    {
        ArgumentNullException.ThrowIfNull(preStop);
        if (preStop["sleep"]["seconds"].Number is { } seconds)
        {
            return seconds;
        }
        string[] command = [.. preStop["exec"]["command"].Items.Select(i => i.Text ?? "")];
        string line = command is [_, "-c", var script] ? script : string.Join(' ', command);
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words is [var sleep, var amount] && sleep.EndsWith("sleep", StringComparison.Ordinal)
            && long.TryParse(amount, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed) ? parsed : 0;
    }
}

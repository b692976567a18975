using Grid.Deploy.Tests.Model;
using Grid.Deploy.Tests.Rendering;
using Grid.Deploy.Tests.Yaml;

namespace Grid.Deploy.Tests.Checks;

/// <summary>Checks that Redis keeps every acknowledged frame (docs/redis.md, "Durability").</summary>
public static class RedisChecks
{
    /// <summary>The redis.conf the Redis container really reads, found through its command line, mount and ConfigMap.</summary>
    /// <exception cref="InvalidOperationException">The chain is broken somewhere (the message says where).</exception>
    public static RedisConfig LoadedConfig(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        Container redis = manifest.GetWorkload(GridNames.Redis).Container(GridNames.RedisContainer);
        string[] commandLine = [.. redis.Node["command"].Items.Concat(redis.Node["args"].Items).Select(i => i.Text ?? "")];
        string file = commandLine.FirstOrDefault(a => a.EndsWith(".conf", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{redis}: redis-server is started without a config file ({string.Join(' ', commandLine)})");
        string directory = Path.GetDirectoryName(file)!.Replace('\\', '/');
        if (!redis.Mounts.TryGetValue(directory, out string? volume))
        {
            throw new InvalidOperationException($"{redis}: nothing is mounted at {directory}, where {file} is read from");
        }
        Node declared = redis.Owner.PodSpec["volumes"].Items.FirstOrDefault(v => v["name"].Text == volume) ?? new Node(null, "volumes");
        string mapName = declared["configMap"]["name"].Text
            ?? throw new InvalidOperationException($"{redis}: volume '{volume}' at {directory} is not a ConfigMap");
        KubeObject map = manifest.Find("ConfigMap", mapName)
            ?? throw new InvalidOperationException($"{redis}: ConfigMap '{mapName}' is not rendered");
        string key = declared["configMap"]["items"].Items.FirstOrDefault(i => i["path"].Text == Path.GetFileName(file))?["key"].Text
            ?? Path.GetFileName(file);
        string text = map.Root["data"][key].Text
            ?? throw new InvalidOperationException($"{map} has no key '{key}' for {file}");
        return RedisConfig.Parse(text);
    }

    /// <summary>
    /// One Redis 7 pod whose loaded config has <c>appendonly yes</c>, <c>appendfsync always</c>, fsyncs during
    /// rewrites, never evicts, keeps its data directory on the claim template's volume, leaves memory headroom for
    /// the rewrite's fork under the container limit, and has a volume large enough for the AOF and a backup dump.
    /// </summary>
    public static IEnumerable<string> Durability(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        Workload workload = manifest.GetWorkload(GridNames.Redis);
        Container redis = workload.Container(GridNames.RedisContainer);
        if (workload.Resource.Kind != "StatefulSet")
        {
            yield return $"{workload} is not a StatefulSet: its volume would not follow it";
        }
        if (workload.Replicas != 1)
        {
            yield return $"{workload} has {workload.Replicas?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} replicas; Grid runs one Redis primary";
        }
        if (!redis.Image.StartsWith("redis:7.", StringComparison.Ordinal))
        {
            yield return $"{redis}: image '{redis.Image}' is not Redis 7 (Grid needs 7.0 or later)";
        }

        RedisConfig? config = null;
        string? loadError = null;
        try
        {
            config = LoadedConfig(manifest);
        }
        catch (InvalidOperationException e)
        {
            loadError = e.Message;
        }
        if (config is null)
        {
            yield return loadError!;
            yield break;
        }
        if (config["appendonly"] != "yes")
        {
            yield return $"redis.conf: appendonly is '{config["appendonly"] ?? "no (default)"}', not yes";
        }
        if (config["appendfsync"] != "always")
        {
            yield return $"redis.conf: appendfsync is '{config["appendfsync"] ?? "everysec (default)"}', not always: acknowledged frames could be lost";
        }
        if (config["no-appendfsync-on-rewrite"] == "yes")
        {
            yield return "redis.conf: no-appendfsync-on-rewrite yes stops fsyncing during every AOF rewrite";
        }
        if (config["maxmemory-policy"] is { } policy && policy != "noeviction")
        {
            yield return $"redis.conf: maxmemory-policy {policy} would evict frames; Grid needs noeviction";
        }

        string dataDirectory = config["dir"] ?? "/data";
        if (!redis.Mounts.TryGetValue(dataDirectory, out string? dataVolume))
        {
            yield return $"{redis}: nothing is mounted at the data directory {dataDirectory}; the AOF would die with the pod";
            yield break;
        }
        Node? claim = workload.Resource.Spec["volumeClaimTemplates"].Items.FirstOrDefault(t => t["metadata"]["name"].Text == dataVolume);
        if (claim is null)
        {
            yield return $"{redis}: the data directory {dataDirectory} is volume '{dataVolume}', not a volumeClaimTemplate";
            yield break;
        }

        if (config["maxmemory"] is not { } maxmemoryText)
        {
            yield return "redis.conf: maxmemory is not set, so Redis would grow until the container is OOM-killed";
            yield break;
        }
        long maxmemory = RedisConfig.ParseBytes(maxmemoryText);
        if (redis.Limits.TryGetValue("memory", out string? limitText) && Quantity.TryParse(limitText, out decimal limit) && 2m * maxmemory > limit)
        {
            yield return $"redis.conf: maxmemory {maxmemoryText} is over half the container's memory limit {limitText}; an AOF rewrite's fork can double the memory";
        }
        if (Quantity.TryParse(claim["spec"]["resources"]["requests"]["storage"].Text, out decimal storage) && storage < 3m * maxmemory)
        {
            yield return $"{workload}: volume {claim["spec"]["resources"]["requests"]["storage"].Text} is under 3x maxmemory {maxmemoryText} (AOF base, its growth until the next rewrite, the rewrite's new base)";
        }
    }

    /// <summary>
    /// Liveness and readiness run <c>redis-cli ping</c>; readiness insists on PONG, because redis-cli exits 0 on
    /// any reply, including the LOADING error of a Redis still replaying its AOF.
    /// </summary>
    public static IEnumerable<string> Probes(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        Container redis = manifest.GetWorkload(GridNames.Redis).Container(GridNames.RedisContainer);
        foreach (string probe in new[] { "livenessProbe", "readinessProbe" })
        {
            string command = string.Join(' ', redis.Node[probe]["exec"]["command"].Items.Select(i => i.Text));
            if (!command.Contains("redis-cli", StringComparison.Ordinal) || !command.Contains("ping", StringComparison.OrdinalIgnoreCase))
            {
                yield return $"{redis}: {probe} does not run redis-cli ping ('{command}')";
            }
            else if (probe == "readinessProbe" && !command.Contains("PONG", StringComparison.Ordinal))
            {
                yield return $"{redis}: readinessProbe '{command}' passes while Redis is still loading (redis-cli exits 0 on LOADING); compare the reply with PONG";
            }
        }
    }
}

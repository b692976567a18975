using System.Text;
using System.Text.RegularExpressions;
using Grid.Deploy.Tests.Rendering;
using Grid.Deploy.Tests.Yaml;

namespace Grid.Deploy.Tests.Model;

/// <summary>
/// The environment a container would see, resolved as the kubelet does: <c>envFrom</c> sources first, then <c>env</c>
/// entries in order (later ones win), <c>$(VAR)</c> expanded from variables defined before, <c>$$</c> as a literal
/// <c>$</c>, and an undefined reference left as written. Downward-API fields get the values of a sample pod; its
/// labels and annotations are the pod template's (a missing one gives an empty value, as the kubelet does).
/// </summary>
public static partial class PodEnvironment
{
    /// <summary>The sample pod's name (what <c>metadata.name</c> resolves to).</summary>
    public const string SamplePodName = "grid-silo-6d5f9c7b8-x2k4p";

    /// <summary>The sample pod's IP (what <c>status.podIP</c> resolves to).</summary>
    public const string SamplePodIp = "10.42.0.17";

    /// <summary>The resolved variables of <paramref name="container"/>.</summary>
    /// <exception cref="InvalidOperationException">A referenced ConfigMap, key or field is not there.</exception>
    public static IReadOnlyDictionary<string, string> Resolve(Manifest manifest, Container container)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Node source in container.Node["envFrom"].Items)
        {
            string prefix = source["prefix"].Text ?? "";
            if (source["configMapRef"].Exists)
            {
                string name = source["configMapRef"]["name"].Text ?? "";
                KubeObject? map = manifest.Find("ConfigMap", name);
                if (map is null)
                {
                    if (source["configMapRef"]["optional"].Text == "true")
                    {
                        continue;
                    }
                    throw new InvalidOperationException($"{container}: envFrom names ConfigMap '{name}', which is not rendered");
                }
                foreach ((string key, string value) in map.Root["data"].StringMap())
                {
                    variables[prefix + key] = value;
                }
            }
            else
            {
                throw new InvalidOperationException($"{container}: envFrom {source.Path} is not a configMapRef (Secrets are not rendered)");
            }
        }
        foreach (Node entry in container.Node["env"].Items)
        {
            string name = entry["name"].Text ?? throw new InvalidOperationException($"{entry.Path} has no name");
            variables[name] = entry["valueFrom"].Exists
                ? ValueFrom(manifest, container, entry["valueFrom"])
                : Expand(entry["value"].Text ?? "", variables);
        }
        return variables;
    }

    /// <summary>Expands <c>$(VAR)</c> references to <paramref name="defined"/> variables, as the kubelet does.</summary>
    public static string Expand(string value, IReadOnlyDictionary<string, string> defined) =>
        ReferencePattern().Replace(value, match =>
            match.Value == "$$" ? "$"
            : defined.TryGetValue(match.Groups["name"].Value, out string? known) ? known
            : match.Value);

    private static string ValueFrom(Manifest manifest, Container container, Node valueFrom)
    {
        if (valueFrom["fieldRef"].Exists)
        {
            string field = valueFrom["fieldRef"]["fieldPath"].Text ?? "";
            if (MetadataMapPattern().Match(field) is { Success: true } entry)
            {
                IReadOnlyDictionary<string, string> map = entry.Groups["map"].Value == "labels" ? container.Owner.PodLabels : container.Owner.PodAnnotations;
                return map.GetValueOrDefault(entry.Groups["key"].Value) ?? "";
            }
            return field switch
            {
                "metadata.name" => SamplePodName,
                "metadata.namespace" => container.Owner.Resource.Namespace ?? "default",
                "status.podIP" => SamplePodIp,
                "spec.nodeName" => "node-1",
                _ => throw new InvalidOperationException($"{container}: fieldRef '{field}' is not one the checks know"),
            };
        }
        if (valueFrom["configMapKeyRef"].Exists)
        {
            string name = valueFrom["configMapKeyRef"]["name"].Text ?? "";
            string key = valueFrom["configMapKeyRef"]["key"].Text ?? "";
            return manifest.Find("ConfigMap", name)?.Root["data"][key].Text
                ?? throw new InvalidOperationException($"{container}: configMapKeyRef {name}/{key} is not rendered");
        }
        if (valueFrom["resourceFieldRef"].Exists)
        {
            return new StringBuilder("resource:").Append(valueFrom["resourceFieldRef"]["resource"].Text).ToString();
        }
        throw new InvalidOperationException($"{container}: {valueFrom.Path} is not a fieldRef, configMapKeyRef or resourceFieldRef");
    }

    [GeneratedRegex(@"\$\$|\$\((?<name>[A-Za-z_][A-Za-z0-9_.-]*)\)")]
    private static partial Regex ReferencePattern();

    // metadata.labels['<key>'] and metadata.annotations['<key>'].
    [GeneratedRegex(@"^metadata\.(?<map>labels|annotations)\['(?<key>[^']+)'\]$")]
    private static partial Regex MetadataMapPattern();
}

using Grid.Deploy.Tests.Rendering;

namespace Grid.Deploy.Tests.Checks;

/// <summary>Namespaces and the app.kubernetes.io labels.</summary>
public static class MetadataChecks
{
    /// <summary>Labels every object carries.</summary>
    public static readonly IReadOnlyList<string> RequiredLabels =
        ["app.kubernetes.io/name", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by"];

    /// <summary>
    /// Every namespaced object names Grid's namespace (an object without one lands in whatever namespace kubectl's
    /// context has), the namespace itself is rendered, and no two objects share kind, namespace and name.
    /// </summary>
    public static IEnumerable<string> Namespaces(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        foreach (KubeObject obj in manifest.Objects.Where(o => o.IsNamespaced && o.Namespace != GridNames.Namespace))
        {
            yield return $"{obj} is in namespace '{obj.Namespace ?? "(none: kubectl's current one)"}', not '{GridNames.Namespace}'";
        }
        if (manifest.Find("Namespace", GridNames.Namespace) is null)
        {
            yield return $"the Namespace '{GridNames.Namespace}' is not rendered";
        }
        foreach (var duplicate in manifest.Objects.GroupBy(o => (o.Kind, o.Namespace, o.Name)).Where(g => g.Count() > 1))
        {
            yield return $"{duplicate.Key.Kind}/{duplicate.Key.Name} is rendered {duplicate.Count()} times";
        }
    }

    /// <summary>
    /// Every object carries the app.kubernetes.io labels with part-of=grid; every pod template carries its workload's
    /// name and component labels and everything the workload's selector asks for.
    /// </summary>
    public static IEnumerable<string> Labels(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        foreach (KubeObject obj in manifest.Objects)
        {
            foreach (string label in RequiredLabels.Where(l => !obj.Labels.ContainsKey(l)))
            {
                yield return $"{obj} has no label {label}";
            }
            if (obj.Labels.TryGetValue("app.kubernetes.io/part-of", out string? partOf) && partOf != "grid")
            {
                yield return $"{obj} is labelled app.kubernetes.io/part-of={partOf}, not grid";
            }
        }
        foreach (Workload workload in manifest.Workloads)
        {
            if (workload.Selector.IsEmpty)
            {
                yield return $"{workload} has an empty selector";
            }
            else if (!workload.Selector.Matches(workload.PodLabels))
            {
                yield return $"{workload}'s selector ({workload.Selector}) does not match its own pod template's labels";
            }
            foreach (string label in new[] { "app.kubernetes.io/name", "app.kubernetes.io/component", "app.kubernetes.io/part-of" })
            {
                workload.Resource.Labels.TryGetValue(label, out string? own);
                workload.PodLabels.TryGetValue(label, out string? pod);
                if (own is null || own != pod)
                {
                    yield return $"{workload}'s pod template has {label}={pod ?? "(none)"}, the workload {own ?? "(none)"}";
                }
            }
        }
    }
}

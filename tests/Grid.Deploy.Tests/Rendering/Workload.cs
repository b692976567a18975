using Grid.Deploy.Tests.Yaml;

namespace Grid.Deploy.Tests.Rendering;

/// <summary>A Deployment or StatefulSet: its selector, pod template and containers.</summary>
public sealed class Workload
{
    /// <summary>The kinds this wraps.</summary>
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal) { "Deployment", "StatefulSet" };

    /// <summary>Wraps <paramref name="obj"/>, which must be one of <see cref="Kinds"/>.</summary>
    public Workload(KubeObject obj)
    {
        if (!Kinds.Contains(obj.Kind))
        {
            throw new ArgumentException($"{obj} is not a Deployment or StatefulSet", nameof(obj));
        }
        Resource = obj;
    }

    /// <summary>The workload object.</summary>
    public KubeObject Resource { get; }

    /// <summary><c>metadata.name</c>.</summary>
    public string Name => Resource.Name;

    /// <summary><c>spec.selector</c>.</summary>
    public LabelSelector Selector => LabelSelector.From(Resource.Spec["selector"]);

    /// <summary><c>spec.template</c>.</summary>
    public Node Template => Resource.Spec["template"];

    /// <summary><c>spec.template.spec</c>.</summary>
    public Node PodSpec => Template["spec"];

    /// <summary>The pod template's labels.</summary>
    public IReadOnlyDictionary<string, string> PodLabels => Template["metadata"]["labels"].StringMap();

    /// <summary>The pod template's annotations.</summary>
    public IReadOnlyDictionary<string, string> PodAnnotations => Template["metadata"]["annotations"].StringMap();

    /// <summary>The pod's containers, init containers first.</summary>
    public IReadOnlyList<Container> Containers =>
        [.. PodSpec["initContainers"].Items.Select(n => new Container(this, n)), .. PodSpec["containers"].Items.Select(n => new Container(this, n))];

    /// <summary>The (non-init) container named <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">There is none.</exception>
    public Container Container(string name) =>
        PodSpec["containers"].Items.Select(n => new Container(this, n)).SingleOrDefault(c => c.Name == name)
        ?? throw new InvalidOperationException($"{Resource} has no container '{name}'");

    /// <summary><c>spec.replicas</c>; null when not set (an HPA owns the count, or the API default of 1).</summary>
    public long? Replicas => Resource.Spec["replicas"].Number;

    /// <summary>Kind/name, for messages.</summary>
    public override string ToString() => Resource.ToString();
}

using Grid.Deploy.Tests.Yaml;

namespace Grid.Deploy.Tests.Rendering;

/// <summary>One container of a <see cref="Workload"/>'s pod template.</summary>
public sealed class Container(Workload owner, Node node)
{
    /// <summary>The workload whose pod holds this container.</summary>
    public Workload Owner { get; } = owner;

    /// <summary>The container's document node.</summary>
    public Node Node { get; } = node;

    /// <summary><c>name</c>.</summary>
    public string Name => Node["name"].Text ?? "";

    /// <summary><c>image</c>.</summary>
    public string Image => Node["image"].Text ?? "";

    /// <summary>Named ports: name to container port (unnamed ports are left out).</summary>
    public IReadOnlyDictionary<string, long> NamedPorts =>
        Node["ports"].Items
            .Where(p => p["name"].Text is not null && p["containerPort"].Number is not null)
            .GroupBy(p => p["name"].Text!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First()["containerPort"].Number!.Value, StringComparer.Ordinal);

    /// <summary>Every <c>containerPort</c>.</summary>
    public IEnumerable<long> PortNumbers => Node["ports"].Items.Select(p => p["containerPort"].Number).OfType<long>();

    /// <summary>
    /// Resolves a probe's or Service's port (a number, or the name of one of this container's ports) to a number;
    /// null when it names no port of the container.
    /// </summary>
    public long? ResolvePort(Node port)
    {
        if (port.Number is { } number)
        {
            return number;
        }
        return port.Text is { } name && NamedPorts.TryGetValue(name, out long byName) ? byName : null;
    }

    /// <summary><c>resources.requests</c>.</summary>
    public IReadOnlyDictionary<string, string> Requests => Node["resources"]["requests"].StringMap();

    /// <summary><c>resources.limits</c>.</summary>
    public IReadOnlyDictionary<string, string> Limits => Node["resources"]["limits"].StringMap();

    /// <summary>The container's volume mounts: mount path to volume name.</summary>
    public IReadOnlyDictionary<string, string> Mounts =>
        Node["volumeMounts"].Items.ToDictionary(m => m["mountPath"].Text ?? "", m => m["name"].Text ?? "", StringComparer.Ordinal);

    /// <summary>Owner/container, for messages.</summary>
    public override string ToString() => $"{Owner.Resource}/{Name}";
}

using Grid.Deploy.Tests.Yaml;
using YamlDotNet.RepresentationModel;

namespace Grid.Deploy.Tests.Rendering;

/// <summary>A rendered overlay: every object of the multi-document YAML, with lookups by kind and name.</summary>
public sealed class Manifest
{
    private Manifest(string source, IReadOnlyList<KubeObject> objects)
    {
        Source = source;
        Objects = objects;
    }

    /// <summary>What was rendered (an overlay directory), for messages.</summary>
    public string Source { get; }

    /// <summary>Every object, in the order rendered.</summary>
    public IReadOnlyList<KubeObject> Objects { get; }

    /// <summary>Every Deployment and StatefulSet.</summary>
    public IEnumerable<Workload> Workloads => Objects.Where(o => Workload.Kinds.Contains(o.Kind)).Select(o => new Workload(o));

    /// <summary>Renders <paramref name="directory"/> with kubectl kustomize and parses it.</summary>
    public static Manifest Render(string directory) => Parse(directory, Kustomize.Render(directory));

    /// <summary>Parses multi-document YAML; empty documents are skipped.</summary>
    /// <exception cref="InvalidDataException">A document is not a Kubernetes object (no kind or name).</exception>
    public static Manifest Parse(string source, string yaml)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml))
        {
            stream.Load(reader);
        }
        var objects = new List<KubeObject>();
        foreach (YamlDocument document in stream.Documents)
        {
            if (document.RootNode is YamlScalarNode { Value: null or "" })
            {
                continue;
            }
            var obj = new KubeObject(new Node(document.RootNode, ""));
            if (obj.Kind.Length == 0 || obj.Name.Length == 0)
            {
                throw new InvalidDataException($"{source}: document {objects.Count + 1} has no kind or metadata.name");
            }
            objects.Add(obj);
        }
        return new Manifest(source, objects);
    }

    /// <summary>Objects of <paramref name="kind"/>.</summary>
    public IEnumerable<KubeObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    /// <summary>The one object of <paramref name="kind"/> named <paramref name="name"/>; null when absent.</summary>
    public KubeObject? Find(string kind, string name) => Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name);

    /// <summary>The one object of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">It is absent.</exception>
    public KubeObject Get(string kind, string name) =>
        Find(kind, name) ?? throw new InvalidOperationException($"{Source} renders no {kind}/{name}");

    /// <summary>The Deployment or StatefulSet named <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">It is absent.</exception>
    public Workload GetWorkload(string name) =>
        Workloads.SingleOrDefault(w => w.Name == name) ?? throw new InvalidOperationException($"{Source} renders no workload '{name}'");

    /// <summary>The workloads whose pod templates <paramref name="selector"/> selects.</summary>
    public IReadOnlyList<Workload> Selected(LabelSelector selector) => [.. Workloads.Where(w => selector.Matches(w.PodLabels))];
}

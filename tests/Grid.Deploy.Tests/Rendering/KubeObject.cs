using Grid.Deploy.Tests.Yaml;

namespace Grid.Deploy.Tests.Rendering;

/// <summary>One object of a rendered manifest: its kind, name, namespace and the whole document.</summary>
public sealed class KubeObject
{
    /// <summary>Kinds that live outside any namespace (those Grid could plausibly ship).</summary>
    private static readonly HashSet<string> s_clusterScoped = new(StringComparer.Ordinal)
    {
        "Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass", "PriorityClass",
        "CustomResourceDefinition", "IngressClass", "RuntimeClass", "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration", "APIService",
    };

    /// <summary>Reads the identifying fields of <paramref name="root"/>.</summary>
    public KubeObject(Node root)
    {
        Root = root;
        ApiVersion = root["apiVersion"].Text ?? "";
        Kind = root["kind"].Text ?? "";
        Name = root["metadata"]["name"].Text ?? "";
        Namespace = root["metadata"]["namespace"].Text;
    }

    /// <summary>The whole document.</summary>
    public Node Root { get; }

    /// <summary><c>apiVersion</c>, e.g. <c>apps/v1</c>.</summary>
    public string ApiVersion { get; }

    /// <summary><c>kind</c>, e.g. <c>Deployment</c>.</summary>
    public string Kind { get; }

    /// <summary><c>metadata.name</c>.</summary>
    public string Name { get; }

    /// <summary><c>metadata.namespace</c>; null when not set.</summary>
    public string? Namespace { get; }

    /// <summary>Whether objects of this kind live in a namespace.</summary>
    public bool IsNamespaced => !s_clusterScoped.Contains(Kind);

    /// <summary><c>metadata.labels</c>.</summary>
    public IReadOnlyDictionary<string, string> Labels => Root["metadata"]["labels"].StringMap();

    /// <summary>The object's <c>spec</c>.</summary>
    public Node Spec => Root["spec"];

    /// <summary><c>Kind/name</c>, for messages.</summary>
    public override string ToString() => $"{Kind}/{Name}";
}

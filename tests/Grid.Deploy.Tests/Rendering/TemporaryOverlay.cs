using Grid.TestSupport;

namespace Grid.Deploy.Tests.Rendering;

/// <summary>
/// An overlay written to a temporary directory on top of one of the repository's overlays, rendered by kubectl
/// kustomize: how the tests make one deliberate mistake and show that a check catches it.
/// </summary>
public static class TemporaryOverlay
{
    /// <summary>
    /// Renders a kustomization whose resource is overlay <paramref name="overlay"/> and whose other fields are
    /// <paramref name="body"/> (YAML), with <paramref name="files"/> beside it.
    /// </summary>
    public static Manifest Render(string overlay, string body, IReadOnlyDictionary<string, string>? files = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        string directory = TestPaths.CreateTempDirectory("grid-overlay");
        try
        {
            // kustomize refuses absolute resource paths.
            string resource = Path.GetRelativePath(directory, Overlays.Directory(overlay)).Replace('\\', '/');
            File.WriteAllText(Path.Combine(directory, "kustomization.yaml"),
                $"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - {resource}\n{body}\n");
            foreach ((string name, string content) in files ?? new Dictionary<string, string>())
            {
                File.WriteAllText(Path.Combine(directory, name), content);
            }
            return Manifest.Render(directory);
        }
        finally
        {
            TestPaths.DeleteDirectory(directory);
        }
    }

    /// <summary>A strategic-merge patch of the silo container (<paramref name="container"/>: YAML at the container's level).</summary>
    public static string SiloContainerPatch(string container) =>
        "patches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n        name: grid-silo\n" +
        "      spec:\n        template:\n          spec:\n            containers:\n              - name: silo\n" +
        Indent(container, 16);

    /// <summary>A JSON patch (<paramref name="operations"/>: a YAML list of operations) of <paramref name="kind"/>/<paramref name="name"/>.</summary>
    public static string JsonPatch(string kind, string name, string operations) =>
        $"patches:\n  - target:\n      kind: {kind}\n      name: {name}\n    patch: |-\n" + Indent(operations, 6);

    /// <summary>Settings merged into the silo's ConfigMap (<c>Grid__Key=value</c> lines).</summary>
    public static string SiloSettings(params string[] literals) =>
        "configMapGenerator:\n  - name: grid-silo-settings\n    behavior: merge\n    literals:\n" +
        string.Concat(literals.Select(l => $"      - {l}\n"));

    private static string Indent(string text, int spaces) =>
        string.Concat(text.Trim('\n').Split('\n').Select(line => new string(' ', spaces) + line + "\n"));
}

using System.Collections.Concurrent;
using Grid.TestSupport;

namespace Grid.Deploy.Tests.Rendering;

/// <summary>The repository's overlays, each rendered once per test run.</summary>
public static class Overlays
{
    /// <summary>The CPU overlay's name (<c>k8s/overlays/cpu</c>).</summary>
    public const string Cpu = "cpu";

    /// <summary>The GPU overlay's name (<c>k8s/overlays/gpu</c>).</summary>
    public const string Gpu = "gpu";

    private static readonly ConcurrentDictionary<string, Lazy<Manifest>> s_renders = new(StringComparer.Ordinal);

    /// <summary>Every overlay, as xunit theory data.</summary>
    public static TheoryData<string> All => new() { Cpu, Gpu };

    /// <summary>The directory of overlay <paramref name="name"/>.</summary>
    public static string Directory(string name) => TestPaths.InRepo("k8s", "overlays", name);

    /// <summary>Overlay <paramref name="name"/>, rendered by kubectl kustomize (once; later calls share it).</summary>
    public static Manifest Render(string name) =>
        s_renders.GetOrAdd(name, n => new Lazy<Manifest>(() => Manifest.Render(Directory(n)))).Value;
}

using Grid.Deploy.Tests.Model;
using Grid.Deploy.Tests.Rendering;
using Grid.Deploy.Tests.Silo;

namespace Grid.Deploy.Tests.Checks;

/// <summary>The silo as one overlay deploys it: its workload, container, resolved environment and what the silo makes of it.</summary>
public sealed class SiloView
{
    private SiloView(Manifest manifest, Workload workload, Container container, IReadOnlyDictionary<string, string> environment, SiloConfiguration configuration)
    {
        Manifest = manifest;
        Workload = workload;
        Container = container;
        Environment = environment;
        Configuration = configuration;
    }

    /// <summary>The rendered overlay.</summary>
    public Manifest Manifest { get; }

    /// <summary>The silo Deployment.</summary>
    public Workload Workload { get; }

    /// <summary>The silo container.</summary>
    public Container Container { get; }

    /// <summary>The container's environment, resolved (<see cref="PodEnvironment"/>).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The silo built with that environment.</summary>
    public SiloConfiguration Configuration { get; }

    /// <summary>Finds the silo in <paramref name="manifest"/> and builds it with its environment.</summary>
    public static async Task<SiloView> BuildAsync(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        Workload workload = manifest.GetWorkload(GridNames.Silo);
        Container container = workload.Container(GridNames.SiloContainer);
        IReadOnlyDictionary<string, string> environment = PodEnvironment.Resolve(manifest, container);
        return new SiloView(manifest, workload, container, environment, await SiloConfiguration.BuildAsync(environment));
    }
}

using Grid.Grains.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Placement;

namespace Grid.Grains.Placement;

/// <summary>Silo wiring of device placement.</summary>
public static class PlacementSiloBuilderExtensions
{
    /// <summary>
    /// Publishes this silo's device and name as silo metadata and registers the device placement filter.
    /// </summary>
    public static ISiloBuilder AddDevicePlacement(this ISiloBuilder silo, string device, string name, IReadOnlyDictionary<string, string>? more = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SiloMetadataKeys.Device] = device,
            [SiloMetadataKeys.Name] = name,
        };
        foreach ((string key, string value) in more ?? new Dictionary<string, string>())
        {
            values[key] = value;
        }
        silo.UseSiloMetadata(values);
        silo.Services.AddSingleton(new LocalDevice(device, name));
        silo.Services.AddPlacementFilter<DevicePlacementFilterStrategy, DevicePlacementFilterDirector>(ServiceLifetime.Transient);
        return silo;
    }
}

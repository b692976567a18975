using Grid.Grains.Abstractions;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Grid.Grains.Placement;

/// <summary>
/// Keeps the silos that may host a grain with a <see cref="CodecGrainKey"/>: the metadata device matches the key's
/// device and, when the key names a silo, the metadata name is that silo. (Orleans' RequiredMatchSiloMetadata filter
/// compares with the calling silo's metadata, which is not the rule here.) When no silo qualifies the grain call fails
/// with <see cref="NoSiloForDeviceException"/>.
/// </summary>
public sealed class DevicePlacementFilterDirector(ISiloMetadataCache metadata, ILocalSiloDetails local, LocalDevice localDevice) : IPlacementFilterDirector
{
    /// <inheritdoc />
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        string key = target.GrainIdentity.Key.ToString()!;
        if (!CodecGrainKey.TryParse(key, out CodecGrainKey? wanted))
        {
            throw new NoSiloForDeviceException($"'{key}' is not a codec grain key (<device> or <device>@<silo>)");
        }
        var matching = new List<SiloAddress>();
        foreach (SiloAddress silo in silos)
        {
            // This silo's own metadata reaches its cache through membership, a moment after it starts: use it directly.
            (string? device, string? name) = silo.Equals(local.SiloAddress)
                ? (localDevice.Device, localDevice.Name)
                : Lookup(metadata.GetSiloMetadata(silo).Metadata);
            if (wanted.MatchesDevice(device) && (wanted.Silo is null || string.Equals(wanted.Silo, name, StringComparison.Ordinal)))
            {
                matching.Add(silo);
            }
        }
        if (matching.Count == 0)
        {
            throw new NoSiloForDeviceException(wanted.Silo is null
                ? $"no active silo has device '{wanted.Device}' (codec work for '{key}' cannot be placed)"
                : $"no active silo named '{wanted.Silo}' has device '{wanted.Device}'");
        }
        return matching;
    }

    private static (string? Device, string? Name) Lookup(IReadOnlyDictionary<string, string> values) =>
        (values.GetValueOrDefault(SiloMetadataKeys.Device), values.GetValueOrDefault(SiloMetadataKeys.Name));
}

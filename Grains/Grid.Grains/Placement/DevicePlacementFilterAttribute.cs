using Orleans.Placement;

namespace Grid.Grains.Placement;

/// <summary>
/// Places a grain keyed by a <see cref="Abstractions.CodecGrainKey"/> only on silos whose metadata
/// (<see cref="Abstractions.SiloMetadataKeys"/>) has the key's device, and its silo when the key names one.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class DevicePlacementFilterAttribute() : PlacementFilterAttribute(new DevicePlacementFilterStrategy());

using Orleans.Placement;

namespace Grid.Grains.Placement;

/// <summary>The placement filter strategy of <see cref="DevicePlacementFilterAttribute"/>: it carries no settings.</summary>
public sealed class DevicePlacementFilterStrategy() : PlacementFilterStrategy(order: 0);

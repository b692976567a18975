namespace Grid.Grains.Placement;

/// <summary>This silo's device and name, as published in its silo metadata.</summary>
/// <param name="Device">The codec device (<c>cpu</c>, <c>cuda:N</c>).</param>
/// <param name="Name">The silo's name.</param>
public sealed record LocalDevice(string Device, string Name);

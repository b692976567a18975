namespace Grid.Grains.Placement;

/// <summary>No active silo has the device (or name) a codec grain's key asks for.</summary>
public sealed class NoSiloForDeviceException(string message) : Exception(message);

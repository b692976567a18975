namespace Grid.Grains.Placement;

/// <summary>No active silo has the device (or name) a codec grain's key asks for.</summary>
/// <remarks>Serialisable by Orleans, so a caller on another silo or a client gets it with its message.</remarks>
[GenerateSerializer]
public sealed class NoSiloForDeviceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NoSiloForDeviceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public NoSiloForDeviceException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public NoSiloForDeviceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Grid.Native;

/// <summary>The requested device is unknown or unavailable (for example CUDA on a CPU-only build).</summary>
public sealed class NativeDeviceException : NativeException
{
    public NativeDeviceException()
        : base(NativeStatus.Device, "The native codec library failed with status Device.")
    {
    }

    public NativeDeviceException(string message)
        : base(NativeStatus.Device, message)
    {
    }

    public NativeDeviceException(string message, Exception innerException)
        : base(NativeStatus.Device, message, innerException)
    {
    }
}

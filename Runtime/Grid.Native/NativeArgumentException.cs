namespace Grid.Native;

/// <summary>An argument was rejected by the native codec library (null, size mismatch, bad configuration value).</summary>
public sealed class NativeArgumentException : NativeException
{
    public NativeArgumentException()
        : base(NativeStatus.InvalidArgument, "The native codec library failed with status InvalidArgument.")
    {
    }

    public NativeArgumentException(string message)
        : base(NativeStatus.InvalidArgument, message)
    {
    }

    public NativeArgumentException(string message, Exception innerException)
        : base(NativeStatus.InvalidArgument, message, innerException)
    {
    }
}

namespace Grid.Native;

/// <summary>
/// A failure reported by libgrid_native.so: the status it returned and its thread-local message. Subclasses
/// name the common statuses; <see cref="NativeStatus.Internal"/> failures are thrown as this base type.
/// </summary>
public class NativeException : Exception
{
    public NativeException()
        : this(NativeStatus.Internal, "The native codec library failed.")
    {
    }

    public NativeException(string message)
        : this(NativeStatus.Internal, message)
    {
    }

    public NativeException(string message, Exception innerException)
        : this(NativeStatus.Internal, message, innerException)
    {
    }

    public NativeException(NativeStatus status, string message)
        : this(status, message, null)
    {
    }

    protected NativeException(NativeStatus status, string message, Exception? innerException)
        : base(message, innerException)
    {
        Status = status;
    }

    /// <summary>The status the native call returned.</summary>
    public NativeStatus Status { get; }
}

namespace Grid.Native;

/// <summary>The native codec library ran out of host or device memory.</summary>
public sealed class NativeOutOfMemoryException : NativeException
{
    public NativeOutOfMemoryException()
        : base(NativeStatus.OutOfMemory, "The native codec library failed with status OutOfMemory.")
    {
    }

    public NativeOutOfMemoryException(string message)
        : base(NativeStatus.OutOfMemory, message)
    {
    }

    public NativeOutOfMemoryException(string message, Exception innerException)
        : base(NativeStatus.OutOfMemory, message, innerException)
    {
    }
}

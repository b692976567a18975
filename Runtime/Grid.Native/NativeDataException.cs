namespace Grid.Native;

/// <summary>Bytes or indices given to the native codec library are malformed (weights, trainer state, index not below the codebook size).</summary>
public sealed class NativeDataException : NativeException
{
    public NativeDataException()
        : base(NativeStatus.InvalidData, "The native codec library failed with status InvalidData.")
    {
    }

    public NativeDataException(string message)
        : base(NativeStatus.InvalidData, message)
    {
    }

    public NativeDataException(string message, Exception innerException)
        : base(NativeStatus.InvalidData, message, innerException)
    {
    }
}

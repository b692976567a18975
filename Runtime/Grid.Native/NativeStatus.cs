namespace Grid.Native;

/// <summary>Status codes of the native library (GridStatus in grid_native.h).</summary>
public enum NativeStatus
{
    /// <summary>Success.</summary>
    Ok = 0,

    /// <summary>A null pointer, size mismatch or bad configuration value.</summary>
    InvalidArgument = 1,

    /// <summary>Malformed weights or trainer-state bytes, or an index not below the codebook size.</summary>
    InvalidData = 2,

    /// <summary>An unknown device string, or CUDA asked for where it is not available.</summary>
    Device = 3,

    /// <summary>Host or device memory ran out.</summary>
    OutOfMemory = 4,

    /// <summary>Any other failure inside libtorch.</summary>
    Internal = 5,
}

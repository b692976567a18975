using System.Runtime.InteropServices;

namespace Grid.Native;

/// <summary>Turns native statuses into typed exceptions (libgit2sharp's Ensure, TorchSharp's CheckForErrors).</summary>
internal static class NativeErrors
{
    /// <summary>Throws the exception for <paramref name="status"/> unless it is <see cref="NativeStatus.Ok"/>.</summary>
    public static void ThrowIfFailed(int status)
    {
        if (status != (int)NativeStatus.Ok)
        {
            throw Create((NativeStatus)status, LastErrorMessage());
        }
    }

    /// <summary>
    /// Like <see cref="ThrowIfFailed(int)"/> for calls that create a handle: on failure the (invalid) handle the
    /// marshaller made is disposed before throwing.
    /// </summary>
    public static T ThrowIfFailed<T>(int status, T handle)
        where T : SafeHandle
    {
        if (status != (int)NativeStatus.Ok || handle.IsInvalid)
        {
            string message = LastErrorMessage();
            handle.Dispose();
            throw Create(status == (int)NativeStatus.Ok ? NativeStatus.Internal : (NativeStatus)status, message);
        }

        return handle;
    }

    private static unsafe string LastErrorMessage()
    {
        string? message = Marshal.PtrToStringUTF8((nint)Interop.GridNative.LastError());
        return string.IsNullOrEmpty(message) ? "the native codec library reported no message" : message;
    }

    private static NativeException Create(NativeStatus status, string message) => status switch
    {
        NativeStatus.InvalidArgument => new NativeArgumentException(message),
        NativeStatus.InvalidData => new NativeDataException(message),
        NativeStatus.Device => new NativeDeviceException(message),
        NativeStatus.OutOfMemory => new NativeOutOfMemoryException(message),
        _ => new NativeException(status, message),
    };
}

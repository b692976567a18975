using Microsoft.Win32.SafeHandles;

namespace Grid.Native;

/// <summary>Owns a native GridBuffer (serialised bytes); releasing it calls GridNative_BufferDestroy.</summary>
internal sealed class BufferHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Called by the interop marshaller, which sets the handle after a successful save.</summary>
    public BufferHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Copies the buffer's bytes into a new managed array.</summary>
    public unsafe byte[] ToArray()
    {
        NativeErrors.ThrowIfFailed(Interop.GridNative.BufferGet(this, out byte* data, out long length));
        return new ReadOnlySpan<byte>(data, checked((int)length)).ToArray();
    }

    protected override bool ReleaseHandle()
    {
        Interop.GridNative.BufferDestroy(handle);
        return true;
    }
}

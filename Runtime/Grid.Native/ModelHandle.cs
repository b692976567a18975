using Microsoft.Win32.SafeHandles;

namespace Grid.Native;

/// <summary>Owns a native GridModel; releasing it calls GridNative_ModelDestroy.</summary>
internal sealed class ModelHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Called by the interop marshaller, which sets the handle after a successful create.</summary>
    public ModelHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        Interop.GridNative.ModelDestroy(handle);
        return true;
    }
}

using Microsoft.Win32.SafeHandles;

namespace Grid.Imaging;

/// <summary>Owns an <c>spng_ctx*</c>; released with <c>spng_ctx_free</c>.</summary>
internal sealed class SpngContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SpngContextHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        Interop.Spng.CtxFree(handle);
        return true;
    }
}

using Microsoft.Win32.SafeHandles;

namespace Grid.Imaging;

/// <summary>Owns a TurboJPEG <c>tjhandle</c> (compressor or decompressor); released with <c>tjDestroy</c>.</summary>
internal sealed class TurboJpegHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public TurboJpegHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => Interop.TurboJpeg.Destroy(handle) == 0;
}

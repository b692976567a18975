using System.Runtime.InteropServices;

namespace Grid.Imaging;

internal static partial class Interop
{
    /// <summary>TurboJPEG 2.1 API (turbojpeg.h). <c>unsigned long</c> is <see cref="CULong"/>.</summary>
    internal static unsafe partial class TurboJpeg
    {
        // enum TJPF
        internal const int TJPF_RGB = 0;

        // enum TJSAMP
        internal const int TJSAMP_444 = 0;
        internal const int TJSAMP_422 = 1;
        internal const int TJSAMP_420 = 2;
        internal const int TJSAMP_GRAY = 3;

        // enum TJCS
        internal const int TJCS_CMYK = 3;
        internal const int TJCS_YCCK = 4;

        // enum TJERR
        internal const int TJERR_WARNING = 0;

        // flags
        internal const int TJFLAG_STOPONWARNING = 8192;
        internal const int TJFLAG_LIMITSCANS = 32768;

        [LibraryImport(Libraries.TurboJpeg, EntryPoint = "tjInitDecompress")]
        internal static partial TurboJpegHandle InitDecompress();

        [LibraryImport(Libraries.TurboJpeg, EntryPoint = "tjInitCompress")]
        internal static partial TurboJpegHandle InitCompress();

        [LibraryImport(Libraries.TurboJpeg, EntryPoint = "tjDestroy")]
        internal static partial int Destroy(IntPtr handle);

        [LibraryImport(Libraries.TurboJpeg, EntryPoint = "tjDecompressHeader3")]
        internal static partial int DecompressHeader3(
            TurboJpegHandle handle, byte* jpegBuf, CULong jpegSize,
            int* width, int* height, int* jpegSubsamp, int* jpegColorspace);

        [LibraryImport(Libraries.TurboJpeg, EntryPoint = "tjDecompress2")]
        internal static partial int Decompress2(
            TurboJpegHandle handle, byte* jpegBuf, CULong jpegSize, byte* dstBuf,
            int width, int pitch, int height, int pixelFormat, int flags);

        [LibraryImport(Libraries.TurboJpeg, EntryPoint = "tjCompress2")]
        internal static partial int Compress2(
            TurboJpegHandle handle, byte* srcBuf, int width, int pitch, int height, int pixelFormat,
            byte** jpegBuf, CULong* jpegSize, int jpegSubsamp, int jpegQual, int flags);

        [LibraryImport(Libraries.TurboJpeg, EntryPoint = "tjFree")]
        internal static partial void Free(byte* buffer);

        [LibraryImport(Libraries.TurboJpeg, EntryPoint = "tjGetErrorStr2")]
        internal static partial byte* GetErrorStr2(TurboJpegHandle handle);

        [LibraryImport(Libraries.TurboJpeg, EntryPoint = "tjGetErrorCode")]
        internal static partial int GetErrorCode(TurboJpegHandle handle);

        internal static string ErrorMessage(TurboJpegHandle handle) =>
            Marshal.PtrToStringUTF8((IntPtr)GetErrorStr2(handle)) ?? "unknown TurboJPEG error";
    }
}

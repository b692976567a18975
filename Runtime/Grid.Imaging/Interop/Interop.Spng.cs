using System.Runtime.InteropServices;

namespace Grid.Imaging;

internal static partial class Interop
{
    /// <summary>libspng 0.7 (spng.h). Only the calls the PNG reader and writer need.</summary>
    internal static unsafe partial class Spng
    {
        // enum spng_errno (the subset the managed side classifies; values checked against spng.h 0.7.3)
        internal const int SPNG_IO_EOF = -1;
        internal const int SPNG_OK = 0;
        internal const int SPNG_EWIDTH = 5;
        internal const int SPNG_EHEIGHT = 6;
        internal const int SPNG_EIDAT_TOO_SHORT = 62;
        internal const int SPNG_EOF = 68;
        internal const int SPNG_ECHUNK_LIMITS = 77;

        // enum spng_format
        internal const int SPNG_FMT_RGB8 = 4;
        internal const int SPNG_FMT_PNG = 256;

        // enum spng_ctx_flags
        internal const int SPNG_CTX_ENCODER = 2;

        // enum spng_encode_flags
        internal const int SPNG_ENCODE_FINALIZE = 2;

        // enum spng_color_type
        internal const byte SPNG_COLOR_TYPE_TRUECOLOR = 2;

        // enum spng_filter_choice
        internal const int SPNG_DISABLE_FILTERING = 0;
        internal const int SPNG_FILTER_CHOICE_PAETH = 128;

        // enum spng_option
        internal const int SPNG_IMG_COMPRESSION_LEVEL = 2;
        internal const int SPNG_FILTER_CHOICE = 10;
        internal const int SPNG_ENCODE_TO_BUFFER = 12;

        /// <summary>struct spng_ihdr: two uint32 then five uint8 (sizeof 16 with tail padding).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct Ihdr
        {
            internal uint Width;
            internal uint Height;
            internal byte BitDepth;
            internal byte ColorType;
            internal byte CompressionMethod;
            internal byte FilterMethod;
            internal byte InterlaceMethod;
        }

        [LibraryImport(Libraries.Spng, EntryPoint = "spng_ctx_new")]
        internal static partial SpngContextHandle CtxNew(int flags);

        [LibraryImport(Libraries.Spng, EntryPoint = "spng_ctx_free")]
        internal static partial void CtxFree(IntPtr ctx);

        [LibraryImport(Libraries.Spng, EntryPoint = "spng_set_png_buffer")]
        internal static partial int SetPngBuffer(SpngContextHandle ctx, byte* buffer, nuint size);

        [LibraryImport(Libraries.Spng, EntryPoint = "spng_set_chunk_limits")]
        internal static partial int SetChunkLimits(SpngContextHandle ctx, nuint chunkSize, nuint cacheSize);

        [LibraryImport(Libraries.Spng, EntryPoint = "spng_set_option")]
        internal static partial int SetOption(SpngContextHandle ctx, int option, int value);

        [LibraryImport(Libraries.Spng, EntryPoint = "spng_get_ihdr")]
        internal static partial int GetIhdr(SpngContextHandle ctx, Ihdr* ihdr);

        [LibraryImport(Libraries.Spng, EntryPoint = "spng_set_ihdr")]
        internal static partial int SetIhdr(SpngContextHandle ctx, Ihdr* ihdr);

        [LibraryImport(Libraries.Spng, EntryPoint = "spng_decoded_image_size")]
        internal static partial int DecodedImageSize(SpngContextHandle ctx, int format, nuint* length);

        [LibraryImport(Libraries.Spng, EntryPoint = "spng_decode_image")]
        internal static partial int DecodeImage(SpngContextHandle ctx, byte* output, nuint length, int format, int flags);

        /// <summary>After a full decode: reads the chunks after the image data up to IEND.</summary>
        [LibraryImport(Libraries.Spng, EntryPoint = "spng_decode_chunks")]
        internal static partial int DecodeChunks(SpngContextHandle ctx);

        [LibraryImport(Libraries.Spng, EntryPoint = "spng_encode_image")]
        internal static partial int EncodeImage(SpngContextHandle ctx, byte* image, nuint length, int format, int flags);

        /// <summary>Returns a malloc'd buffer the caller owns (freed with libc free, i.e. NativeMemory.Free).</summary>
        [LibraryImport(Libraries.Spng, EntryPoint = "spng_get_png_buffer")]
        internal static partial byte* GetPngBuffer(SpngContextHandle ctx, nuint* length, int* error);

        [LibraryImport(Libraries.Spng, EntryPoint = "spng_strerror")]
        internal static partial byte* StrError(int error);

        internal static string ErrorMessage(int error) =>
            Marshal.PtrToStringUTF8((IntPtr)StrError(error)) ?? $"spng error {error}";
    }
}

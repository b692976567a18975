using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Grid.Imaging;

/// <summary>
/// PNG reading and writing through libspng. Every PNG variant (gray, gray+alpha, palette, RGB, RGBA; 1 to 16 bits;
/// interlaced or not) decodes to 8-bit RGB. <b>Alpha is dropped, not composited</b>: the colour channels are kept as
/// stored, so fully transparent pixels keep whatever colour the file holds. 16-bit samples are reduced to 8 bits by
/// libspng. No gamma correction is applied.
/// </summary>
public static class Png
{
    /// <summary>
    /// Largest ancillary chunk (text, ICC, EXIF) spng will process; image data (IDAT) is not limited by it. We use
    /// none of those chunks: the limit only bounds the memory a hostile file can make spng spend on them
    /// (a PNG with a 20 MiB tEXt chunk still decodes).
    /// </summary>
    private const int MaxChunkBytes = 16 << 20;

    /// <summary>Largest total of ancillary chunk data spng may keep in memory.</summary>
    private const int MaxChunkCacheBytes = 32 << 20;

    private const string FormatName = "PNG";

    /// <summary>Decodes a PNG file held in memory to 8-bit RGB.</summary>
    /// <exception cref="ImageFormatException">The data is empty, not PNG, damaged, truncated, zero-sized or above <paramref name="limits"/>.</exception>
    public static unsafe RgbImage Decode(ReadOnlySpan<byte> data, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Default;
        if (data.IsEmpty)
        {
            throw new ImageFormatException(ImageError.Empty, "PNG data is empty (0 bytes)");
        }

        fixed (byte* source = data)
        {
            using SpngContextHandle context = CreateContext(0);
            ThrowIfFailed(Interop.Spng.SetPngBuffer(context, source, (nuint)data.Length), "setting the input buffer");
            // spng also stops after 1000 chunks by default (SPNG_CHUNK_COUNT_LIMIT can only lower that).
            ThrowIfFailed(Interop.Spng.SetChunkLimits(context, MaxChunkBytes, MaxChunkCacheBytes), "setting chunk limits");

            // The header is read and checked before anything image-sized is allocated.
            Interop.Spng.Ihdr header;
            int status = Interop.Spng.GetIhdr(context, &header);
            if (status != Interop.Spng.SPNG_OK)
            {
                throw HeaderError(status, data);
            }

            ImageSize.Validate(FormatName, header.Width, header.Height, limits);

            nuint decodedLength;
            ThrowIfDecodeFailed(
                Interop.Spng.DecodedImageSize(context, Interop.Spng.SPNG_FMT_RGB8, &decodedLength), "sizing the image");
            var image = RgbImage.CreateUninitialized((int)header.Width, (int)header.Height);
            if (decodedLength != (nuint)image.Pixels.Length)
            {
                throw new ImageFormatException(
                    ImageError.Corrupt,
                    $"PNG decoder wants {decodedLength} bytes for a {image.Width}x{image.Height} RGB image, expected {image.Pixels.Length}");
            }

            // spng writes the rows straight into the managed pixel array.
            fixed (byte* target = image.Pixels)
            {
                ThrowIfDecodeFailed(
                    Interop.Spng.DecodeImage(context, target, decodedLength, Interop.Spng.SPNG_FMT_RGB8, flags: 0),
                    "decoding the image");
            }

            // spng stops once the pixels are complete; reading on to IEND catches a file cut after its image
            // data (including the last IDAT's CRC) instead of accepting it.
            ThrowIfDecodeFailed(Interop.Spng.DecodeChunks(context), "reading the chunks after the image data");
            return image;
        }
    }

    /// <summary>Encodes <paramref name="image"/> as an 8-bit RGB PNG.</summary>
    /// <param name="image">The image.</param>
    /// <param name="compressionLevel">zlib level 0 (store) to 9 (smallest); 6 is zlib's default balance.</param>
    public static unsafe byte[] Encode(RgbImage image, int compressionLevel = 6)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegative(compressionLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(compressionLevel, 9);

        using SpngContextHandle context = CreateContext(Interop.Spng.SPNG_CTX_ENCODER);
        ThrowIfEncodeFailed(Interop.Spng.SetOption(context, Interop.Spng.SPNG_ENCODE_TO_BUFFER, 1), "selecting buffer output");
        ThrowIfEncodeFailed(
            Interop.Spng.SetOption(context, Interop.Spng.SPNG_IMG_COMPRESSION_LEVEL, compressionLevel), "setting the compression level");

        // Paeth on every row instead of spng's per-row trial of all five filters: on 768x512 photos it gave the
        // same size (to the byte) 12-35% faster. Level 0 stores, so filtering would only cost time.
        int filters = compressionLevel == 0 ? Interop.Spng.SPNG_DISABLE_FILTERING : Interop.Spng.SPNG_FILTER_CHOICE_PAETH;
        ThrowIfEncodeFailed(Interop.Spng.SetOption(context, Interop.Spng.SPNG_FILTER_CHOICE, filters), "choosing the row filter");

        var header = new Interop.Spng.Ihdr
        {
            Width = (uint)image.Width,
            Height = (uint)image.Height,
            BitDepth = 8,
            ColorType = Interop.Spng.SPNG_COLOR_TYPE_TRUECOLOR,
        };
        ThrowIfEncodeFailed(Interop.Spng.SetIhdr(context, &header), "setting the header");

        fixed (byte* pixels = image.Pixels)
        {
            ThrowIfEncodeFailed(
                Interop.Spng.EncodeImage(
                    context, pixels, (nuint)image.Pixels.Length, Interop.Spng.SPNG_FMT_PNG, Interop.Spng.SPNG_ENCODE_FINALIZE),
                "encoding the image");
        }

        nuint length;
        int error;
        byte* output = Interop.Spng.GetPngBuffer(context, &length, &error);
        try
        {
            ThrowIfEncodeFailed(error, "taking the output buffer");
            if (output == null)
            {
                throw new InvalidOperationException("PNG encoding produced no output buffer");
            }

            return new ReadOnlySpan<byte>(output, checked((int)length)).ToArray();
        }
        finally
        {
            // A returned buffer belongs to us; spng allocated it with the default allocator (libc malloc).
            if (output != null)
            {
                NativeMemory.Free(output);
            }
        }
    }

    private static SpngContextHandle CreateContext(int flags)
    {
        SpngContextHandle context = Interop.Spng.CtxNew(flags);
        if (context.IsInvalid)
        {
            context.Dispose();
            throw new InvalidOperationException("spng_ctx_new failed to allocate a PNG context");
        }

        return context;
    }

    /// <summary>Maps a failure of spng_get_ihdr, telling a zero-sized header apart from other invalid widths.</summary>
    private static ImageFormatException HeaderError(int status, ReadOnlySpan<byte> data)
    {
        if ((status == Interop.Spng.SPNG_EWIDTH || status == Interop.Spng.SPNG_EHEIGHT)
            && TryReadHeaderSize(data, out uint width, out uint height)
            && (width == 0 || height == 0))
        {
            return new ImageFormatException(
                ImageError.ZeroSize, $"PNG header declares a {width}x{height} image; both sides must be at least 1");
        }

        return Error(status, "reading the header");
    }

    /// <summary>Reads width and height from the IHDR chunk, which the PNG format fixes at byte offset 16.</summary>
    private static bool TryReadHeaderSize(ReadOnlySpan<byte> data, out uint width, out uint height)
    {
        width = height = 0;
        if (data.Length < 24 || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return false;
        }

        width = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
        height = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
        return true;
    }

    private static void ThrowIfFailed(int status, string stage)
    {
        if (status != Interop.Spng.SPNG_OK)
        {
            throw new InvalidOperationException($"PNG decoder setup failed while {stage}: {Interop.Spng.ErrorMessage(status)}");
        }
    }

    private static void ThrowIfDecodeFailed(int status, string stage)
    {
        if (status != Interop.Spng.SPNG_OK)
        {
            throw Error(status, stage);
        }
    }

    private static void ThrowIfEncodeFailed(int status, string stage)
    {
        if (status != Interop.Spng.SPNG_OK)
        {
            throw new InvalidOperationException(
                $"PNG encoding failed while {stage}: {Interop.Spng.ErrorMessage(status)} (spng error {status})");
        }
    }

    private static ImageFormatException Error(int status, string stage)
    {
        string detail = $"{Interop.Spng.ErrorMessage(status)} (spng error {status})";
        return status switch
        {
            Interop.Spng.SPNG_IO_EOF or Interop.Spng.SPNG_EOF or Interop.Spng.SPNG_EIDAT_TOO_SHORT =>
                new ImageFormatException(ImageError.Truncated, $"PNG data is truncated: it ends while {stage}: {detail}"),
            Interop.Spng.SPNG_ECHUNK_LIMITS =>
                new ImageFormatException(
                    ImageError.TooLarge,
                    $"PNG chunk data exceeds the reader's limits ({MaxChunkBytes >> 20} MiB per chunk, {MaxChunkCacheBytes >> 20} MiB in all, spng's 1000 chunks) while {stage}: {detail}"),
            _ => new ImageFormatException(ImageError.Corrupt, $"PNG data is corrupt: failed while {stage}: {detail}"),
        };
    }
}

using System.Runtime.InteropServices;

namespace Grid.Imaging;

/// <summary>
/// JPEG reading and writing through libjpeg-turbo's TurboJPEG API. Grayscale JPEGs decode to RGB with equal
/// channels. Decoding is strict: any libjpeg warning (a premature end of data, corrupt entropy data, ...) fails
/// with an <see cref="ImageFormatException"/> instead of returning a partly grey image.
/// </summary>
public static class Jpeg
{
    private const string FormatName = "JPEG";

    /// <summary>The message libjpeg's memory source gives when the data ends before the image (JWRN_JPEG_EOF).</summary>
    private const string PrematureEndMessage = "Premature end of JPEG file";

    /// <summary>Decodes a JPEG file held in memory to 8-bit RGB.</summary>
    /// <exception cref="ImageFormatException">The data is empty, damaged, truncated, zero-sized, CMYK, not 8-bit or above <paramref name="limits"/>.</exception>
    public static unsafe RgbImage Decode(ReadOnlySpan<byte> data, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Default;
        if (data.IsEmpty)
        {
            throw new ImageFormatException(ImageError.Empty, "JPEG data is empty (0 bytes)");
        }

        JpegStructure structure = JpegStructure.Scan(data);
        if (structure.Frame is { } frame)
        {
            if (frame.Width == 0 || frame.Height == 0)
            {
                ImageSize.Validate(FormatName, frame.Width, frame.Height, limits);
            }

            if (frame.Precision != 8)
            {
                throw new ImageFormatException(
                    ImageError.UnsupportedFormat, $"JPEG has {frame.Precision}-bit samples; only 8-bit JPEG is supported");
            }
        }

        using TurboJpegHandle decoder = CreateHandle(Interop.TurboJpeg.InitDecompress(), "tjInitDecompress");
        fixed (byte* source = data)
        {
            var sourceLength = new CULong((nuint)data.Length);
            int width, height, subsampling, colorspace;
            if (Interop.TurboJpeg.DecompressHeader3(decoder, source, sourceLength, &width, &height, &subsampling, &colorspace) != 0)
            {
                throw HeaderError(decoder, structure);
            }

            if (width == 0 || height == 0)
            {
                // TurboJPEG succeeds without a size when libjpeg meets EOI (real or, at the end of the data,
                // inserted) before any frame: a cut header or a tables-only stream.
                throw structure.EndsBeforeScan
                    ? new ImageFormatException(ImageError.Truncated, "JPEG data is truncated: it ends before the image header is complete")
                    : new ImageFormatException(ImageError.Corrupt, "JPEG data holds no image (no frame header before the end of image)");
            }

            // Checked before the pixel array exists: a forged 65535x65535 header costs nothing.
            ImageSize.Validate(FormatName, width, height, limits);
            if (colorspace is Interop.TurboJpeg.TJCS_CMYK or Interop.TurboJpeg.TJCS_YCCK)
            {
                throw new ImageFormatException(
                    ImageError.UnsupportedFormat, "JPEG is CMYK/YCCK; only RGB (YCbCr) and grayscale JPEG are supported");
            }

            var image = RgbImage.CreateUninitialized(width, height);
            fixed (byte* target = image.Pixels)
            {
                // Stop on the first warning: libjpeg otherwise fills what it could not decode with grey and
                // reports success-with-warning. LIMITSCANS refuses progressive files with absurd scan counts.
                const int Flags = Interop.TurboJpeg.TJFLAG_STOPONWARNING | Interop.TurboJpeg.TJFLAG_LIMITSCANS;
                if (Interop.TurboJpeg.Decompress2(
                        decoder, source, sourceLength, target, width, image.Stride, height, Interop.TurboJpeg.TJPF_RGB, Flags) != 0)
                {
                    throw DecodeError(decoder);
                }
            }

            return image;
        }
    }

    /// <summary>Encodes <paramref name="image"/> as a baseline JPEG; the returned array holds exactly the file's bytes.</summary>
    /// <param name="image">The image.</param>
    /// <param name="quality">libjpeg quality, 1 (worst) to 100 (best).</param>
    /// <param name="subsampling">Chroma subsampling; <see cref="JpegSubsampling.Gray"/> writes a grayscale JPEG.</param>
    public static unsafe byte[] Encode(RgbImage image, int quality = 90, JpegSubsampling subsampling = JpegSubsampling.S420)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        int nativeSubsampling = subsampling switch
        {
            JpegSubsampling.S444 => Interop.TurboJpeg.TJSAMP_444,
            JpegSubsampling.S422 => Interop.TurboJpeg.TJSAMP_422,
            JpegSubsampling.S420 => Interop.TurboJpeg.TJSAMP_420,
            JpegSubsampling.Gray => Interop.TurboJpeg.TJSAMP_GRAY,
            _ => throw new ArgumentOutOfRangeException(nameof(subsampling), subsampling, "unknown JPEG subsampling"),
        };

        using TurboJpegHandle encoder = CreateHandle(Interop.TurboJpeg.InitCompress(), "tjInitCompress");
        byte* output = null;
        var outputLength = default(CULong);
        try
        {
            fixed (byte* pixels = image.Pixels)
            {
                if (Interop.TurboJpeg.Compress2(
                        encoder, pixels, image.Width, image.Stride, image.Height, Interop.TurboJpeg.TJPF_RGB,
                        &output, &outputLength, nativeSubsampling, quality, flags: 0) != 0)
                {
                    throw new InvalidOperationException($"JPEG encoding failed: {Interop.TurboJpeg.ErrorMessage(encoder)}");
                }
            }

            return new ReadOnlySpan<byte>(output, checked((int)outputLength.Value)).ToArray();
        }
        finally
        {
            // TurboJPEG allocated the output buffer (we passed NULL); tjFree(NULL) is a no-op.
            Interop.TurboJpeg.Free(output);
        }
    }

    private static TurboJpegHandle CreateHandle(TurboJpegHandle handle, string function)
    {
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new InvalidOperationException($"{function} failed to create a TurboJPEG instance");
        }

        return handle;
    }

    private static ImageFormatException HeaderError(TurboJpegHandle handle, JpegStructure structure)
    {
        if (structure.EndsBeforeScan)
        {
            return new ImageFormatException(
                ImageError.Truncated,
                $"JPEG data is truncated: it ends before the image header is complete (libjpeg: {Interop.TurboJpeg.ErrorMessage(handle)})");
        }

        return new ImageFormatException(
            ImageError.Corrupt, $"JPEG data is corrupt: failed while reading the header (libjpeg: {Interop.TurboJpeg.ErrorMessage(handle)})");
    }

    private static ImageFormatException DecodeError(TurboJpegHandle handle)
    {
        string message = Interop.TurboJpeg.ErrorMessage(handle);
        if (message.Contains(PrematureEndMessage, StringComparison.OrdinalIgnoreCase))
        {
            return new ImageFormatException(
                ImageError.Truncated, $"JPEG data is truncated: it ends inside the image data (libjpeg: {message})");
        }

        // With TJFLAG_STOPONWARNING the first warning aborts, so the code tells which kind stopped the decode.
        string severity = Interop.TurboJpeg.GetErrorCode(handle) == Interop.TurboJpeg.TJERR_WARNING
            ? "libjpeg warning, treated as an error"
            : "libjpeg error";
        return new ImageFormatException(ImageError.Corrupt, $"JPEG data is corrupt: failed while decoding the image ({severity}: {message})");
    }
}

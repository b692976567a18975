using Grid.Imaging.Skia;

namespace Grid.Imaging;

/// <summary>
/// PNG reading and writing through SkiaSharp. Every PNG variant (gray, gray+alpha, palette, RGB, RGBA; 1 to 16 bits;
/// interlaced or not) decodes to 8-bit RGB. <b>Alpha is dropped, not composited</b>: the colour channels are kept as
/// stored (unpremultiplied), so fully transparent pixels keep whatever colour the file holds. 16-bit samples are
/// reduced to 8 bits by Skia. No gamma or colour-profile correction is applied.
/// </summary>
public static class Png
{
    private const string FormatName = "PNG";

    /// <summary>Decodes a PNG file held in memory to 8-bit RGB.</summary>
    /// <remarks>
    /// Before Skia sees the data, every chunk's length and CRC is checked up to IEND (<see cref="PngChunks"/>), and
    /// the size IHDR declares against <paramref name="limits"/>, so a damaged, cut or oversized file fails before any
    /// pixel memory is allocated, and a file cut after its image data is not accepted.
    /// </remarks>
    /// <exception cref="ImageFormatException">The data is empty, not PNG, damaged, truncated, zero-sized or above <paramref name="limits"/>.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Default;
        if (data.IsEmpty)
        {
            throw new ImageFormatException(ImageError.Empty, "PNG data is empty (0 bytes)");
        }

        PngChunks.Check(data, limits);
        return SkiaCodec.Decode(data, FormatName, limits);
    }

    /// <summary>Encodes <paramref name="image"/> as an 8-bit RGB PNG (Paeth filter on every row; none at level 0).</summary>
    /// <param name="image">The image.</param>
    /// <param name="compressionLevel">zlib level 0 (store) to 9 (smallest); 6 is zlib's default balance.</param>
    public static byte[] Encode(RgbImage image, int compressionLevel = 6)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegative(compressionLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(compressionLevel, 9);
        return SkiaCodec.EncodePng(image, compressionLevel);
    }
}

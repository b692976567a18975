using SkiaSharp;

namespace Grid.Imaging.Skia;

/// <summary>
/// PNG and JPEG through SkiaSharp's codec (SKCodec) and encoders. Pixels cross as RGBA8888, unpremultiplied, with no
/// colour space (so no colour conversion), and are packed to or from <see cref="RgbImage"/>'s RGB.
/// </summary>
internal static class SkiaCodec
{
    // The input stays pinned while Skia reads it: no copy of an upload to probe or decode it.
    private static readonly SKDataReleaseDelegate s_pinnedByCaller = (_, _) => { };

    /// <summary>The size and format a PNG or JPEG header declares, read by SKCodec without decoding pixels.</summary>
    /// <exception cref="ImageFormatException">Skia cannot read a header from the data.</exception>
    internal static unsafe (int Width, int Height) ProbeSize(ReadOnlySpan<byte> data, string formatName)
    {
        fixed (byte* source = data)
        {
            using SKData wrapped = SKData.Create((IntPtr)source, data.Length, s_pinnedByCaller);
            using var stream = new SKMemoryStream(wrapped);
            using SKCodec codec = CreateCodec(stream, formatName);
            return (codec.Info.Width, codec.Info.Height);
        }
    }

    /// <summary>Decodes PNG or JPEG data to RGB; the size the header declares is checked against <paramref name="limits"/> first.</summary>
    internal static unsafe RgbImage Decode(ReadOnlySpan<byte> data, string formatName, ImageLimits limits)
    {
        fixed (byte* source = data)
        {
            using SKData wrapped = SKData.Create((IntPtr)source, data.Length, s_pinnedByCaller);
            using var stream = new SKMemoryStream(wrapped);
            using SKCodec codec = CreateCodec(stream, formatName);
            SKImageInfo declared = codec.Info;
            ImageSize.Validate(formatName, declared.Width, declared.Height, limits);

            var info = new SKImageInfo(declared.Width, declared.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            byte[] rgba = new byte[info.BytesSize];
            SKCodecResult result;
            fixed (byte* target = rgba)
            {
                result = codec.GetPixels(info, (IntPtr)target);
            }

            if (result != SKCodecResult.Success)
            {
                throw Error(result, formatName, "decoding the image");
            }

            var image = RgbImage.CreateUninitialized(declared.Width, declared.Height);
            PixelPacking.RgbaToRgb(rgba, image.Pixels);
            return image;
        }
    }

    /// <summary>An 8-bit RGB PNG at zlib <paramref name="compressionLevel"/> (0 stores, unfiltered; else Paeth rows).</summary>
    internal static byte[] EncodePng(RgbImage image, int compressionLevel)
    {
        SKPngEncoderFilterFlags filters = compressionLevel == 0 ? SKPngEncoderFilterFlags.NoFilters : SKPngEncoderFilterFlags.Paeth;
        return Encode(image, SKColorType.Rgb888x, pixmap => pixmap.Encode(new SKPngEncoderOptions(filters, compressionLevel)), "PNG");
    }

    /// <summary>A baseline JPEG; <see cref="JpegSubsampling.Gray"/> writes one channel (BT.601 luma).</summary>
    internal static byte[] EncodeJpeg(RgbImage image, int quality, JpegSubsampling subsampling)
    {
        if (subsampling == JpegSubsampling.Gray)
        {
            return Encode(image, SKColorType.Gray8, pixmap => pixmap.Encode(new SKJpegEncoderOptions(quality)), "JPEG");
        }

        SKJpegEncoderDownsample downsample = subsampling switch
        {
            JpegSubsampling.S444 => SKJpegEncoderDownsample.Downsample444,
            JpegSubsampling.S422 => SKJpegEncoderDownsample.Downsample422,
            JpegSubsampling.S420 => SKJpegEncoderDownsample.Downsample420,
            _ => throw new ArgumentOutOfRangeException(nameof(subsampling), subsampling, "unknown JPEG subsampling"),
        };
        var options = new SKJpegEncoderOptions(quality, downsample, SKJpegEncoderAlphaOption.Ignore);
        return Encode(image, SKColorType.Rgb888x, pixmap => pixmap.Encode(options), "JPEG");
    }

    private static unsafe byte[] Encode(RgbImage image, SKColorType colorType, Func<SKPixmap, SKData?> encode, string formatName)
    {
        ArgumentNullException.ThrowIfNull(image);
        var info = new SKImageInfo(image.Width, image.Height, colorType, SKAlphaType.Opaque);
        byte[] pixels = new byte[info.BytesSize];
        if (colorType == SKColorType.Gray8)
        {
            PixelPacking.RgbToLuma(image.Pixels, pixels);
        }
        else
        {
            PixelPacking.RgbToRgbx(image.Pixels, pixels);
        }

        fixed (byte* address = pixels)
        {
            using var pixmap = new SKPixmap(info, (IntPtr)address, info.RowBytes);
            using SKData encoded = encode(pixmap) ?? throw new InvalidOperationException($"{formatName} encoding failed in SkiaSharp ({image.Width}x{image.Height})");
            return encoded.ToArray();
        }
    }

    private static SKCodec CreateCodec(SKMemoryStream stream, string formatName)
    {
        SKCodec? codec = SKCodec.Create(stream, out SKCodecResult result);
        if (codec is null || result != SKCodecResult.Success)
        {
            codec?.Dispose();
            throw Error(result, formatName, "reading the header");
        }

        return codec;
    }

    private static ImageFormatException Error(SKCodecResult result, string formatName, string stage) => result switch
    {
        SKCodecResult.IncompleteInput =>
            new ImageFormatException(ImageError.Truncated, $"{formatName} data is truncated: it ends while {stage} (Skia: {result})"),
        SKCodecResult.Unimplemented =>
            new ImageFormatException(ImageError.UnsupportedFormat, $"{formatName} variant is not supported: failed while {stage} (Skia: {result})"),
        _ => new ImageFormatException(ImageError.Corrupt, $"{formatName} data is corrupt: failed while {stage} (Skia: {result})"),
    };
}

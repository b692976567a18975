using System.Globalization;
using System.Text;

namespace Grid.Imaging;

/// <summary>Format-independent image reading and writing: detection by magic bytes, by file extension on write.</summary>
public static class ImageFile
{
    private const int DescribedBytes = 8;

    /// <summary>
    /// Recognises PNG (89 50 4E 47), JPEG (FF D8 FF) and binary PPM/PGM ("P6"/"P5" then whitespace) by their first
    /// bytes; null for anything else.
    /// </summary>
    public static ImageFileFormat? Detect(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]))
        {
            return ImageFileFormat.Png;
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return ImageFileFormat.Jpeg;
        }

        if (data.Length >= 2 && data[0] == (byte)'P' && data[1] is (byte)'6' or (byte)'5'
            && (data.Length == 2 || data[2] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C or (byte)'#'))
        {
            return ImageFileFormat.Ppm;
        }

        return null;
    }

    /// <summary>Decodes PNG, JPEG or PPM/PGM data (detected by its magic bytes) to 8-bit RGB.</summary>
    /// <exception cref="ImageFormatException">The data is empty, of an unknown format, or the format's decoder rejects it.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, ImageLimits? limits = null)
    {
        if (data.IsEmpty)
        {
            throw new ImageFormatException(ImageError.Empty, "image data is empty (0 bytes)");
        }

        return Detect(data) switch
        {
            ImageFileFormat.Png => Png.Decode(data, limits),
            ImageFileFormat.Jpeg => Jpeg.Decode(data, limits),
            ImageFileFormat.Ppm => Ppm.Decode(data, limits),
            _ => throw new ImageFormatException(
                ImageError.UnsupportedFormat,
                $"unrecognised image format: the data starts with {DescribeStart(data)}; expected PNG, JPEG or binary PPM/PGM"),
        };
    }

    /// <summary>
    /// Reads format and size from the header alone, without decoding (or allocating) any pixels: PNG and JPEG through
    /// SkiaSharp's SKCodec, which stops at the header; PPM/PGM by its text header. For admission checks (pixel
    /// budgets) before <see cref="Decode"/>. The size is not checked against any <see cref="ImageLimits"/>.
    /// </summary>
    /// <exception cref="ImageFormatException">Empty, of an unknown format, or no readable header (truncated, corrupt, zero-sized).</exception>
    public static ImageHeader Probe(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            throw new ImageFormatException(ImageError.Empty, "image data is empty (0 bytes)");
        }

        ImageFileFormat format = Detect(data) ?? throw new ImageFormatException(
            ImageError.UnsupportedFormat,
            $"unrecognised image format: the data starts with {DescribeStart(data)}; expected PNG, JPEG or binary PPM/PGM");
        (long width, long height) = format switch
        {
            ImageFileFormat.Png => Skia.SkiaCodec.ProbeSize(data, "PNG"),
            ImageFileFormat.Jpeg => Skia.SkiaCodec.ProbeSize(data, "JPEG"),
            _ => Ppm.ProbeSize(data),
        };
        if (width <= 0 || height <= 0)
        {
            throw new ImageFormatException(ImageError.ZeroSize, $"{format} header declares a {width}x{height} image; both sides must be at least 1");
        }

        return new ImageHeader(format, width, height);
    }

    /// <summary>Reads and decodes an image file.</summary>
    /// <exception cref="IOException">The file cannot be read (the message names the path).</exception>
    /// <exception cref="ImageFormatException">The contents cannot be decoded (the message names the path).</exception>
    public static RgbImage Read(string path, ImageLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new IOException($"cannot read image file '{path}': {exception.Message}", exception);
        }

        try
        {
            return Decode(data, limits);
        }
        catch (ImageFormatException exception)
        {
            throw new ImageFormatException(exception.Error, $"'{path}': {exception.Message}", exception);
        }
    }

    /// <summary>Encodes <paramref name="image"/> in <paramref name="format"/>.</summary>
    /// <param name="image">The image.</param>
    /// <param name="format">The file format.</param>
    /// <param name="jpegQuality">JPEG quality 1..100 (ignored by the lossless formats).</param>
    public static byte[] Encode(RgbImage image, ImageFileFormat format, int jpegQuality = 90) => format switch
    {
        ImageFileFormat.Png => Png.Encode(image),
        ImageFileFormat.Jpeg => Jpeg.Encode(image, jpegQuality),
        ImageFileFormat.Ppm => Ppm.Encode(image),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown image file format"),
    };

    /// <summary>Encodes <paramref name="image"/> in the format named by the extension of <paramref name="path"/> and writes it.</summary>
    /// <exception cref="ArgumentException">The extension is not .png, .jpg, .jpeg or .ppm.</exception>
    /// <exception cref="IOException">The file cannot be written (the message names the path).</exception>
    public static void Write(string path, RgbImage image, int jpegQuality = 90)
    {
        ArgumentNullException.ThrowIfNull(image);
        byte[] encoded = Encode(image, FormatFromExtension(path), jpegQuality);
        try
        {
            File.WriteAllBytes(path, encoded);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new IOException($"cannot write image file '{path}': {exception.Message}", exception);
        }
    }

    /// <summary>The format named by a path's extension (case-insensitive): .png, .jpg/.jpeg, .ppm.</summary>
    /// <exception cref="ArgumentException">Any other extension.</exception>
    public static ImageFileFormat FormatFromExtension(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string extension = Path.GetExtension(path);
        if (extension.Equals(".png", StringComparison.OrdinalIgnoreCase))
        {
            return ImageFileFormat.Png;
        }

        if (extension.Equals(".jpg", StringComparison.OrdinalIgnoreCase) || extension.Equals(".jpeg", StringComparison.OrdinalIgnoreCase))
        {
            return ImageFileFormat.Jpeg;
        }

        if (extension.Equals(".ppm", StringComparison.OrdinalIgnoreCase))
        {
            return ImageFileFormat.Ppm;
        }

        throw new ArgumentException(
            $"cannot tell the image format of '{path}' from its extension '{extension}'; use .png, .jpg, .jpeg or .ppm",
            nameof(path));
    }

    /// <summary>The first bytes in hex with a printable rendering, e.g. <c>47 49 46 38 39 61 ("GIF89a")</c>.</summary>
    internal static string DescribeStart(ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> start = data[..Math.Min(DescribedBytes, data.Length)];
        var text = new StringBuilder(start.Length * 4 + 16);
        foreach (byte value in start)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value:X2} ");
        }

        text.Append("(\"");
        foreach (byte value in start)
        {
            text.Append(value is >= 0x20 and < 0x7F ? (char)value : '.');
        }

        return text.Append("\")").ToString();
    }
}

using System.Globalization;
using System.Text;

namespace Grid.Imaging;

/// <summary>
/// Binary Netpbm: reads P6 (RGB) and P5 (gray, expanded to RGB), writes P6. Only maxval 255 (one byte per sample)
/// is supported; '#' comments are allowed wherever the header allows whitespace. Bytes after the first image
/// are ignored.
/// </summary>
public static class Ppm
{
    private const string FormatName = "PPM";

    /// <summary>Longest accepted header number; anything longer is certainly not a usable size or maxval.</summary>
    private const int MaxDigits = 10;

    /// <summary>Decodes a binary PPM (P6) or PGM (P5) held in memory to 8-bit RGB.</summary>
    /// <exception cref="ImageFormatException">The data is empty, not P6/P5, damaged, truncated, zero-sized, not maxval 255 or above <paramref name="limits"/>.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Default;
        if (data.IsEmpty)
        {
            throw new ImageFormatException(ImageError.Empty, "PPM data is empty (0 bytes)");
        }

        int channels = ReadMagic(data);
        int position = 2;
        long width = ReadHeaderNumber(data, ref position, "width");
        long height = ReadHeaderNumber(data, ref position, "height");
        ImageSize.Validate(FormatName, width, height, limits);
        long maxValue = ReadHeaderNumber(data, ref position, "maxval");
        if (maxValue != 255)
        {
            throw maxValue is >= 1 and <= 65535
                ? new ImageFormatException(
                    ImageError.UnsupportedFormat, $"PPM maxval is {maxValue}; only 255 (8-bit samples) is supported")
                : new ImageFormatException(
                    ImageError.Corrupt, $"PPM maxval is {maxValue}; Netpbm allows 1 to 65535");
        }

        // Exactly one whitespace byte separates the header from the samples (so a sample may itself be whitespace).
        if (position >= data.Length)
        {
            throw new ImageFormatException(ImageError.Truncated, "PPM data is truncated: it ends right after the header");
        }

        position++;
        var image = RgbImage.CreateUninitialized((int)width, (int)height);
        int sampleBytes = (int)(width * height * channels);
        ReadOnlySpan<byte> samples = data[position..];
        if (samples.Length < sampleBytes)
        {
            throw new ImageFormatException(
                ImageError.Truncated,
                $"PPM data is truncated: a {width}x{height} image needs {sampleBytes} sample bytes, the data holds {samples.Length}");
        }

        if (channels == 3)
        {
            samples[..sampleBytes].CopyTo(image.Pixels);
        }
        else
        {
            ExpandGray(samples[..sampleBytes], image.Pixels);
        }

        return image;
    }

    /// <summary>The size a P6/P5 header declares, without reading the samples or checking limits.</summary>
    internal static (long Width, long Height) ProbeSize(ReadOnlySpan<byte> data)
    {
        ReadMagic(data);
        int position = 2;
        long width = ReadHeaderNumber(data, ref position, "width");
        long height = ReadHeaderNumber(data, ref position, "height");
        return (width, height);
    }

    /// <summary>Encodes <paramref name="image"/> as binary P6 with maxval 255.</summary>
    public static byte[] Encode(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        byte[] header = Encoding.ASCII.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"P6\n{image.Width} {image.Height}\n255\n"));
        byte[] result = new byte[header.Length + image.Pixels.Length];
        header.CopyTo(result, 0);
        image.Pixels.CopyTo(result, header.Length);
        return result;
    }

    /// <summary>Returns the number of channels the magic number declares.</summary>
    private static int ReadMagic(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 2 && data[0] == (byte)'P')
        {
            switch (data[1])
            {
                case (byte)'6':
                    return 3;
                case (byte)'5':
                    return 1;
                case (byte)'1' or (byte)'2' or (byte)'3' or (byte)'4' or (byte)'7':
                    throw new ImageFormatException(
                        ImageError.UnsupportedFormat,
                        $"Netpbm variant P{(char)data[1]} is not supported; only binary P6 (RGB) and P5 (gray) are");
            }
        }

        throw new ImageFormatException(
            ImageError.UnsupportedFormat, $"not a binary PPM/PGM: the data starts with {ImageFile.DescribeStart(data)}");
    }

    /// <summary>Skips whitespace and comments, then reads one decimal number that must be followed by whitespace.</summary>
    private static long ReadHeaderNumber(ReadOnlySpan<byte> data, ref int position, string field)
    {
        SkipWhitespaceAndComments(data, ref position);
        if (position >= data.Length)
        {
            throw new ImageFormatException(ImageError.Truncated, $"PPM data is truncated: the header ends before the {field}");
        }

        if (!char.IsAsciiDigit((char)data[position]))
        {
            throw new ImageFormatException(
                ImageError.Corrupt, $"PPM header is corrupt: expected the {field} (a decimal number) at byte {position}, found 0x{data[position]:X2}");
        }

        long value = 0;
        int start = position;
        while (position < data.Length && char.IsAsciiDigit((char)data[position]))
        {
            if (position - start == MaxDigits)
            {
                throw new ImageFormatException(
                    ImageError.Corrupt, $"PPM header is corrupt: the {field} at byte {start} has more than {MaxDigits} digits");
            }

            value = (value * 10) + (data[position] - '0');
            position++;
        }

        if (position >= data.Length)
        {
            throw new ImageFormatException(ImageError.Truncated, $"PPM data is truncated: the header ends inside the {field}");
        }

        if (!IsWhitespace(data[position]))
        {
            throw new ImageFormatException(
                ImageError.Corrupt, $"PPM header is corrupt: the {field} at byte {start} is followed by 0x{data[position]:X2}, not whitespace");
        }

        return value;
    }

    private static void SkipWhitespaceAndComments(ReadOnlySpan<byte> data, ref int position)
    {
        while (position < data.Length)
        {
            if (IsWhitespace(data[position]))
            {
                position++;
            }
            else if (data[position] == (byte)'#')
            {
                int lineEnd = data[position..].IndexOfAny((byte)'\n', (byte)'\r');
                position = lineEnd < 0 ? data.Length : position + lineEnd + 1;
            }
            else
            {
                return;
            }
        }
    }

    private static bool IsWhitespace(byte value) => value is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;

    private static void ExpandGray(ReadOnlySpan<byte> gray, Span<byte> rgb)
    {
        for (int i = 0, j = 0; i < gray.Length; i++, j += 3)
        {
            byte value = gray[i];
            rgb[j] = value;
            rgb[j + 1] = value;
            rgb[j + 2] = value;
        }
    }
}

using System.Runtime.CompilerServices;
using Grid.Imaging;

namespace Grid.Runtime.Tests.Imaging;

/// <summary>Images generated in the tests, fixture lookup and image comparison.</summary>
internal static class TestImages
{
    /// <summary>A colour gradient with per-pixel noise of +-<paramref name="noise"/> (deterministic for a seed).</summary>
    public static RgbImage Gradient(int width, int height, int noise = 0, int seed = 1)
    {
        var random = new Random(seed);
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
        {
            Span<byte> row = image.Row(y);
            for (int x = 0; x < width; x++)
            {
                row[(x * 3) + 0] = Clamp((x * 255 / Math.Max(1, width - 1)) + Noise(random, noise));
                row[(x * 3) + 1] = Clamp((y * 255 / Math.Max(1, height - 1)) + Noise(random, noise));
                row[(x * 3) + 2] = Clamp(((x + y) * 255 / Math.Max(1, width + height - 2)) + Noise(random, noise));
            }
        }

        return image;
    }

    /// <summary>A smooth, photo-like image: low-frequency sinusoids plus mild noise.</summary>
    public static RgbImage Smooth(int width, int height, int noise = 2, int seed = 7)
    {
        var random = new Random(seed);
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
        {
            Span<byte> row = image.Row(y);
            for (int x = 0; x < width; x++)
            {
                double u = (double)x / width;
                double v = (double)y / height;
                row[(x * 3) + 0] = Clamp((int)(128 + (90 * Math.Sin(u * 6.1) * Math.Cos(v * 3.3))) + Noise(random, noise));
                row[(x * 3) + 1] = Clamp((int)(120 + (80 * Math.Cos((u + v) * 4.7))) + Noise(random, noise));
                row[(x * 3) + 2] = Clamp((int)(110 + (70 * Math.Sin(v * 5.3 + 1))) + Noise(random, noise));
            }
        }

        return image;
    }

    /// <summary>Peak signal-to-noise ratio in dB over all channels (infinity when identical).</summary>
    public static double Psnr(RgbImage expected, RgbImage actual)
    {
        Assert.Equal(expected.Width, actual.Width);
        Assert.Equal(expected.Height, actual.Height);
        double sum = 0;
        for (int i = 0; i < expected.Pixels.Length; i++)
        {
            int difference = expected.Pixels[i] - actual.Pixels[i];
            sum += difference * difference;
        }

        double mse = sum / expected.Pixels.Length;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    /// <summary>The committed fixture file (tests/Grid.Grains.Tests/Fixtures/Imaging/<paramref name="name"/>).</summary>
    public static string FixturePath(string name, [CallerFilePath] string sourceFile = "") =>
        Path.Combine(Path.GetDirectoryName(sourceFile)!, "..", "Fixtures", "Imaging", name);

    public static byte[] Fixture(string name) => File.ReadAllBytes(FixturePath(name));

    /// <summary>A PNG chunk (length, type, data, CRC) for crafting headers.</summary>
    public static byte[] PngChunk(string type, ReadOnlySpan<byte> data)
    {
        byte[] chunk = new byte[12 + data.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk.AsSpan(8));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>A PNG signature plus an IHDR chunk (valid CRC) declaring the given size, and nothing else.</summary>
    public static byte[] PngHeaderOnly(uint width, uint height, byte bitDepth = 8, byte colorType = 2)
    {
        byte[] ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(ihdr, width);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = bitDepth;
        ihdr[9] = colorType;
        return [.. PngSignature, .. PngChunk("IHDR", ihdr)];
    }

    public static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>CRC-32 (IEEE, as PNG uses it), bitwise: test data is tiny.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte value in data)
        {
            crc ^= value;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>Offset of the first SOFn marker segment in a JPEG (FF C0..FF C2 in what TurboJPEG writes).</summary>
    public static int FindStartOfFrame(byte[] jpeg)
    {
        for (int i = 2; i + 1 < jpeg.Length; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                return i;
            }
        }

        throw new InvalidOperationException("no SOF marker in the JPEG");
    }

    /// <summary>Runs an external tool (ffmpeg) and fails the test with its stderr when it fails.</summary>
    public static void RunTool(string fileName, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(fileName)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = output.Result;
        Assert.True(process.ExitCode == 0, $"{fileName} failed ({process.ExitCode}): {error}");
    }

    private static int Noise(Random random, int amplitude) => amplitude == 0 ? 0 : random.Next(-amplitude, amplitude + 1);

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}

using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;

namespace Grid.Contracts.Frames;

/// <summary>Constants and small helpers of the VQF frame format (see docs/frame-format.md).</summary>
public static class VqfFormat
{
    /// <summary>The fixed-rate format version (packed indices); <see cref="VqfWriter"/> writes it and reads only it.</summary>
    public const byte CurrentVersion = 1;

    /// <summary>The entropy-coded format version (<see cref="VqfEntropyWriter"/>, <see cref="VqfEntropyReader"/>).</summary>
    public const byte EntropyVersion = 2;

    /// <summary>Length of the fixed header that precedes the payload of a version 1 frame, in bytes.</summary>
    public const int HeaderLength = 31;

    /// <summary>Length of the fixed header that precedes the payload of a version 2 frame, in bytes.</summary>
    public const int EntropyHeaderLength = 49;

    /// <summary>Side of the square pixel block that one codebook index stands for.</summary>
    public const int BlockSize = 4;

    /// <summary>Largest image width or height a frame can describe (the fields are u16).</summary>
    public const int MaxSide = ushort.MaxValue;

    /// <summary>Smallest number of bits per packed index.</summary>
    public const int MinBitsPerIndex = 1;

    /// <summary>Largest number of bits per packed index (indices are <see cref="ushort"/>).</summary>
    public const int MaxBitsPerIndex = 16;

    /// <summary>Bits per index for the default codebook of 512 entries.</summary>
    public const int DefaultBitsPerIndex = 9;

    /// <summary>File name extension of a frame stored as a file.</summary>
    public const string FileExtension = ".vqf";

    /// <summary>The four bytes every frame starts with: ASCII "VQF1".</summary>
    public static ReadOnlySpan<byte> Magic => "VQF1"u8;

    /// <summary>Bits needed to store any index of a codebook: ceil(log2(<paramref name="codebookSize"/>)).</summary>
    /// <param name="codebookSize">Number of codebook entries, 2 to 65536.</param>
    /// <returns>1 for 2 entries, 9 for 512, 10 for 513, 16 for 65536.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The size is below 2 or above 65536.</exception>
    public static int BitsForCodebook(int codebookSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(codebookSize, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(codebookSize, 1 << MaxBitsPerIndex);
        return BitOperations.Log2((uint)(codebookSize - 1)) + 1;
    }

    /// <summary>Number of latent cells along an image side of <paramref name="pixels"/>: ceil(pixels / 4).</summary>
    /// <param name="pixels">Image width or height, 1 to <see cref="MaxSide"/>.</param>
    /// <returns>The latent width or height.</returns>
    public static int LatentSide(int pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pixels, MaxSide);
        return (pixels + BlockSize - 1) / BlockSize;
    }

    /// <summary>
    /// The latent size check shared by both versions: the header's latent width and height must be ceil(coded side / 4),
    /// where the coded side is the image side scaled by the quality level (<see cref="FrameQualities.CodedSide"/>).
    /// </summary>
    internal static FrameFormatException? CheckLatentSize(ReadOnlySpan<byte> header, int width, int height, FrameQuality quality)
    {
        int latentWidth = BinaryPrimitives.ReadUInt16LittleEndian(header[VqfLayout.LatentWidth..]);
        int latentHeight = BinaryPrimitives.ReadUInt16LittleEndian(header[VqfLayout.LatentHeight..]);
        int codedWidth = FrameQualities.CodedSide(width, quality);
        int codedHeight = FrameQualities.CodedSide(height, quality);
        int expectedWidth = (codedWidth + BlockSize - 1) / BlockSize;
        int expectedHeight = (codedHeight + BlockSize - 1) / BlockSize;
        if (latentWidth == expectedWidth && latentHeight == expectedHeight)
        {
            return null;
        }

        string coded = quality == FrameQuality.Standard
            ? string.Empty
            : $" coded at quality {FrameQualities.Name(quality)} as {codedWidth}x{codedHeight}";
        return new FrameFormatException(
            FrameError.LatentSizeMismatch,
            $"latent size mismatch: header says {latentWidth}x{latentHeight}, a {width}x{height} image{coded} has {expectedWidth}x{expectedHeight} (ceil(side / {BlockSize}))");
    }

    /// <summary>Formats a model fingerprint as 8 lowercase hex digits, the first 8 of the weights' SHA-256 hex.</summary>
    /// <param name="fingerprint">A fingerprint from a frame header or <see cref="ComputeFingerprint(ReadOnlySpan{byte})"/>.</param>
    /// <returns>For example "1a2b3c4d".</returns>
    public static string FormatFingerprint(uint fingerprint) => fingerprint.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>The model fingerprint: the first 4 bytes, big-endian, of the SHA-256 of the model's weights bytes.</summary>
    /// <param name="weights">The serialized weights, exactly as stored.</param>
    /// <returns>The fingerprint to put in frame headers.</returns>
    public static uint ComputeFingerprint(ReadOnlySpan<byte> weights)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(weights, hash);
        return BinaryPrimitives.ReadUInt32BigEndian(hash);
    }

    /// <summary>The model fingerprint of weights read from <paramref name="weights"/> to its end.</summary>
    /// <param name="weights">A readable stream positioned at the start of the weights.</param>
    /// <returns>The fingerprint to put in frame headers.</returns>
    public static uint ComputeFingerprint(Stream weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(weights, hash);
        return BinaryPrimitives.ReadUInt32BigEndian(hash);
    }
}

namespace Grid.Contracts.Frames;

/// <summary>
/// What a VQF frame header says: the model that encoded the image, the image size, the quality level it was coded at,
/// and how indices are packed. Validated on construction (also through <c>with</c>), so every instance describes a
/// writable frame.
/// </summary>
/// <param name="ModelVersion">Version of the model that encoded the frame.</param>
/// <param name="ModelFingerprint">First 4 bytes, big-endian, of the SHA-256 of the model's weights.</param>
/// <param name="Width">Image width in pixels, 1 to 65535.</param>
/// <param name="Height">Image height in pixels, 1 to 65535.</param>
/// <param name="BitsPerIndex">Bits per packed index, 1 to 16; 9 for a codebook of 512.</param>
/// <param name="Quality">The level the image was coded at: its scale (<see cref="FrameQualities"/>).</param>
public sealed record FrameInfo(
    uint ModelVersion,
    uint ModelFingerprint,
    int Width,
    int Height,
    int BitsPerIndex = VqfFormat.DefaultBitsPerIndex,
    FrameQuality Quality = FrameQuality.Standard)
{
    /// <summary>Image width in pixels, 1 to 65535.</summary>
    public int Width { get; init => field = CheckSide(value, nameof(Width)); } = CheckSide(Width, nameof(Width));

    /// <summary>Image height in pixels, 1 to 65535.</summary>
    public int Height { get; init => field = CheckSide(value, nameof(Height)); } = CheckSide(Height, nameof(Height));

    /// <summary>Bits per packed index, 1 to 16.</summary>
    public int BitsPerIndex { get; init => field = CheckBits(value, nameof(BitsPerIndex)); } = CheckBits(BitsPerIndex, nameof(BitsPerIndex));

    /// <summary>The quality level (a defined <see cref="FrameQuality"/>).</summary>
    public FrameQuality Quality { get; init => field = CheckQuality(value, nameof(Quality)); } = CheckQuality(Quality, nameof(Quality));

    /// <summary>Width of the image the model coded: <see cref="Width"/> scaled by the quality level (<see cref="FrameQualities.CodedSide"/>).</summary>
    public int CodedWidth => FrameQualities.CodedSide(Width, Quality);

    /// <summary>Height of the image the model coded: <see cref="Height"/> scaled by the quality level.</summary>
    public int CodedHeight => FrameQualities.CodedSide(Height, Quality);

    /// <summary>Latent columns: ceil(<see cref="CodedWidth"/> / 4).</summary>
    public int LatentWidth => (CodedWidth + VqfFormat.BlockSize - 1) / VqfFormat.BlockSize;

    /// <summary>Latent rows: ceil(<see cref="CodedHeight"/> / 4).</summary>
    public int LatentHeight => (CodedHeight + VqfFormat.BlockSize - 1) / VqfFormat.BlockSize;

    /// <summary>Number of indices in the frame: <see cref="LatentWidth"/> * <see cref="LatentHeight"/>.</summary>
    public int IndexCount => LatentWidth * LatentHeight;

    /// <summary>Payload bytes: ceil(<see cref="IndexCount"/> * <see cref="BitsPerIndex"/> / 8).</summary>
    public int PayloadLength => (int)((((long)IndexCount * BitsPerIndex) + 7) / 8);

    /// <summary>Whole frame bytes: header plus payload.</summary>
    public int FrameLength => VqfFormat.HeaderLength + PayloadLength;

    /// <summary>The model fingerprint as 8 lowercase hex digits.</summary>
    public string FingerprintHex => VqfFormat.FormatFingerprint(ModelFingerprint);

    private static int CheckSide(int pixels, string name)
    {
        if (pixels is < 1 or > VqfFormat.MaxSide)
        {
            throw new ArgumentOutOfRangeException(name, pixels, $"image {name.ToLowerInvariant()} must be 1..{VqfFormat.MaxSide} pixels, got {pixels}");
        }

        return pixels;
    }

    private static FrameQuality CheckQuality(FrameQuality quality, string name) =>
        FrameQualities.IsDefined(quality)
            ? quality
            : throw new ArgumentOutOfRangeException(name, quality, $"quality level code {(byte)quality} is not defined: {FrameQualities.Names}");

    private static int CheckBits(int bits, string name)
    {
        if (bits is < VqfFormat.MinBitsPerIndex or > VqfFormat.MaxBitsPerIndex)
        {
            throw new ArgumentOutOfRangeException(name, bits, $"bits per index must be 1..16, got {bits}");
        }

        return bits;
    }
}

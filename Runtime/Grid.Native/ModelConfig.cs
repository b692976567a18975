namespace Grid.Native;

/// <summary>
/// Architecture of the VQ-VAE (GridModelConfig in grid_native.h); stored inside the weights bytes.
/// </summary>
/// <param name="HiddenChannels">Channels of the hidden convolutions; even (the first encoder layer has half).</param>
/// <param name="ResidualChannels">Channels inside each residual block.</param>
/// <param name="ResidualBlocks">Residual blocks in the encoder and in the decoder each.</param>
/// <param name="EmbeddingDim">D, the length of each codebook vector.</param>
/// <param name="CodebookSize">K, the number of codes (at most 65536: indices are 16-bit).</param>
public sealed record ModelConfig(
    int HiddenChannels = 128,
    int ResidualChannels = 32,
    int ResidualBlocks = 2,
    int EmbeddingDim = 64,
    int CodebookSize = 512)
{
    /// <summary>Spatial reduction of the encoder: one index per 4x4 pixel block; image sides are multiples of it.</summary>
    public const int Downsample = 4;

    internal Interop.GridNative.GridModelConfig ToNative() => new()
    {
        HiddenChannels = HiddenChannels,
        ResidualChannels = ResidualChannels,
        ResidualBlocks = ResidualBlocks,
        EmbeddingDim = EmbeddingDim,
        CodebookSize = CodebookSize,
    };

    internal static ModelConfig FromNative(in Interop.GridNative.GridModelConfig config) => new(
        config.HiddenChannels, config.ResidualChannels, config.ResidualBlocks, config.EmbeddingDim, config.CodebookSize);
}

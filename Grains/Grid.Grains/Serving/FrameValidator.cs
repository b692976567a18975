using Grid.Contracts;
using Grid.Contracts.Frames;
using Grid.Codec;
using Grid.Storage.Models;

namespace Grid.Grains.Serving;

/// <summary>
/// Checks a ready-made VQF frame before it is stored as is: it parses strictly, its size is within limits, and the
/// model version it names exists in the registry with the same fingerprint, index width and codebook size, so every
/// stored frame can be decoded later; versions retention is deleting are refused. Needs only the model's card, not the
/// model.
/// </summary>
public static class FrameValidator
{
    /// <exception cref="FrameFormatException">The bytes are not a valid frame.</exception>
    /// <exception cref="CodecException">Too large, index out of range, or a model mismatch.</exception>
    /// <exception cref="ModelNotFoundException">The model version is unknown.</exception>
    public static async Task<FrameInfo> ValidateAsync(byte[] frame, ModelRegistry registry, int maxImageSide, CancellationToken cancellationToken)
    {
        ushort[] indices = VqfReader.ReadIndices(frame, out FrameInfo info);
        if (info.Width > maxImageSide || info.Height > maxImageSide)
        {
            throw new CodecException(ErrorCodes.ImageTooLarge,
                $"frame is {info.Width}x{info.Height} pixels; this silo stores at most {maxImageSide} per side");
        }
        Task<bool> retired = registry.IsRetiringOrRetiredAsync(info.ModelVersion, cancellationToken);
        ModelCard card = await registry.GetCardAsync(info.ModelVersion, cancellationToken).ConfigureAwait(false)
            ?? throw new ModelNotFoundException(info.ModelVersion,
                $"frame names model version {info.ModelVersion}, which the model registry does not hold");
        if (await retired.ConfigureAwait(false))
        {
            // Retention is deleting it (no stored frame names it): a new frame must not come to depend on it.
            throw new ModelNotFoundException(info.ModelVersion,
                $"frame names model version {info.ModelVersion}, which is retired: encode the image with the current model instead");
        }
        if (!string.Equals(info.FingerprintHex, card.Fingerprint, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelMismatchException(
                $"frame names model version {info.ModelVersion} with fingerprint {info.FingerprintHex}, but the registry's version " +
                $"{info.ModelVersion} has fingerprint {card.Fingerprint}: a different model with the same version number");
        }
        int codebookSize = card.Config.CodebookSize;
        int bits = VqfFormat.BitsForCodebook(codebookSize);
        if (info.BitsPerIndex != bits)
        {
            throw new ModelMismatchException(
                $"frame uses {info.BitsPerIndex} bits per index; model version {info.ModelVersion}'s codebook of {codebookSize} needs {bits}");
        }
        for (int i = 0; i < indices.Length; i++)
        {
            if (indices[i] >= codebookSize)
            {
                throw new CodecException(ErrorCodes.IndexOutOfRange,
                    $"index {indices[i]} at latent row {i / info.LatentWidth}, column {i % info.LatentWidth} is not below the codebook size {codebookSize} of model version {info.ModelVersion}");
            }
        }
        return info;
    }
}

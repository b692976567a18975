using Grid.Codec;

namespace Grid.Storage.Models;

/// <summary>A model version as the registry holds it.</summary>
/// <param name="Card">The model card (version, fingerprint, architecture, training, validation).</param>
/// <param name="Weights">The weights bytes in Grid's format.</param>
/// <param name="Prior">
/// The version's learned context prior (<c>prior.bin</c> bytes, trained for these weights); null when it has none, and
/// then its stream frames are baseline-coded (docs/entropy-coding.md).
/// </param>
public sealed record StoredModel(ModelCard Card, byte[] Weights, byte[]? Prior = null)
{
    /// <summary>The version number frames of this model carry.</summary>
    public uint Version => Card.Version;
}

/// <summary>What <see cref="ModelRegistry.PublishAsync"/> did.</summary>
/// <param name="Version">The version published (or found).</param>
/// <param name="Fingerprint">Its weights fingerprint, eight hex digits.</param>
/// <param name="Imported">True when this call wrote it; false when the same model was already there.</param>
public sealed record ModelImport(uint Version, string Fingerprint, bool Imported);

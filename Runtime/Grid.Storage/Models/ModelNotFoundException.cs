using Grid.Contracts;
using Grid.Codec;

namespace Grid.Storage.Models;

/// <summary>A model version that the registry does not hold (never published, or retired).</summary>
public sealed class ModelNotFoundException : CodecException
{
    public ModelNotFoundException(uint version, string? detail = null)
        : base(ErrorCodes.ModelNotFound, detail ?? $"model version {version} does not exist in the model registry")
    {
        Version = version;
    }

    /// <summary>The version asked for.</summary>
    public uint Version { get; }
}

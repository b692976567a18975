using Grid.Codec;

namespace Grid.Grains.Models;

/// <summary>
/// The right to use one loaded model until disposed. While any lease is held, swaps and evictions leave the native
/// model alive. Dispose exactly once (later disposals are ignored).
/// </summary>
public sealed class ModelLease : IDisposable
{
    private LoadedModel? _model;

    internal ModelLease(LoadedModel model)
    {
        _model = model;
        Codec = model.Codec;
    }

    /// <summary>The codec. Not thread-safe: the codec grain's thread is its only user.</summary>
    public VqCodec Codec { get; }

    /// <summary>The model version.</summary>
    public uint Version => Codec.Version;

    /// <summary>Gives the reference back.</summary>
    public void Dispose() => Interlocked.Exchange(ref _model, null)?.Release();
}

using Grid.Codec;

namespace Grid.Grains.Models;

/// <summary>
/// The right to use one loaded model until disposed. While any lease is held, swaps and evictions leave the native
/// model alive. Dispose exactly once (later disposals are ignored).
/// </summary>
public sealed class ModelLease : IDisposable
{
    private LoadedModel? _model;
    private readonly IReadOnlyList<VqCodec> _codecs;

    internal ModelLease(LoadedModel model)
    {
        _model = model;
        _codecs = model.Codecs;
        Codec = model.Codec;
    }

    /// <summary>Lane 0's codec. Not thread-safe: only lane 0 of the codec batcher runs batches on it.</summary>
    public VqCodec Codec { get; }

    /// <summary>The codec of codec lane <paramref name="lane"/> (0 .. lanes - 1), used only by that lane's thread.</summary>
    public VqCodec CodecFor(int lane) => _codecs[lane];

    /// <summary>The model version.</summary>
    public uint Version => Codec.Version;

    /// <summary>Gives the reference back.</summary>
    public void Dispose() => Interlocked.Exchange(ref _model, null)?.Release();
}

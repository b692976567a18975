using Grid.Codec;

namespace Grid.Grains.Models;

/// <summary>
/// A model version in memory, one codec per codec lane (a native model is used by one thread at a time, so each lane
/// that runs batches at once has its own copy), with a reference count: the cache holds one reference while the model
/// is current or cached, and each batch that uses it holds one more. The native models are disposed when the last
/// reference goes, so a batch never loses its codec to a swap or an eviction.
/// </summary>
internal sealed class LoadedModel
{
    private int _references = 1;

    public LoadedModel(IReadOnlyList<VqCodec> codecs)
    {
        if (codecs.Count == 0)
        {
            throw new ArgumentException("a loaded model needs at least one codec", nameof(codecs));
        }
        Codecs = codecs;
    }

    /// <summary>One codec per lane, all of the same version.</summary>
    public IReadOnlyList<VqCodec> Codecs { get; }

    /// <summary>Lane 0's codec (for what is not a batch: compatibility checks, the prior).</summary>
    public VqCodec Codec => Codecs[0];

    public uint Version => Codec.Version;

    /// <summary>Adds a reference; false when the model is already released (disposed or about to be).</summary>
    public bool TryAcquire()
    {
        int seen = Volatile.Read(ref _references);
        while (seen > 0)
        {
            int actual = Interlocked.CompareExchange(ref _references, seen + 1, seen);
            if (actual == seen)
            {
                return true;
            }
            seen = actual;
        }
        return false;
    }

    /// <summary>Drops a reference; the last one disposes the codec.</summary>
    public void Release()
    {
        int left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            foreach (VqCodec codec in Codecs)
            {
                codec.Dispose();
            }
        }
        else if (left < 0)
        {
            throw new InvalidOperationException($"model version {Version} was released more often than acquired");
        }
    }
}

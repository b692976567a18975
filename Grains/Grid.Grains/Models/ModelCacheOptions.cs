
namespace Grid.Grains.Models;

/// <summary>How a <see cref="ModelCache"/> loads and keeps models.</summary>
public sealed record ModelCacheOptions
{
    /// <summary>Device models are loaded on: "cpu" or "cuda:N".</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// Copies of each loaded version, one per codec lane (<see cref="Serving.CodecGrainOptions.Lanes"/>): lanes run
    /// batches at the same time, and a native model serves one call at a time. At least 1.
    /// </summary>
    public int Lanes { get; init; } = 1;

    /// <summary>Older (not current) versions kept loaded for decoding old frames, least recently used evicted first; at least 1.</summary>
    public int Capacity { get; init; } = 4;

    /// <summary>
    /// How often the silo renews its subscription to the model registry grain (<see cref="ModelRegistrySubscription"/>);
    /// the answer carries the current version, so a missed notice is caught up within this long. At most a third of
    /// <see cref="ModelRegistryGrain.SubscriptionLifetime"/>.
    /// </summary>
    public TimeSpan ResubscribeInterval { get; init; } = TimeSpan.FromSeconds(30);
}

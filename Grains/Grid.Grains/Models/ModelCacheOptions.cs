
namespace Grid.Grains.Models;

/// <summary>How a <see cref="ModelCache"/> loads and keeps models.</summary>
public sealed record ModelCacheOptions
{
    /// <summary>Device models are loaded on: "cpu" or "cuda:N".</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Older (not current) versions kept loaded for decoding old frames, least recently used evicted first; at least 1.</summary>
    public int Capacity { get; init; } = 4;

    /// <summary>How often the registry's current version is checked when no change nudge arrives.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(30);
}

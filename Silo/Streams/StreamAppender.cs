using Grid.Diagnostics;
using Grid.Grains.Abstractions;
using Grid.Silo.Hosting;
using Grid.Silo.Options;
using Grid.Storage.Models;
using Grid.Training;
using Microsoft.Extensions.Options;

namespace Grid.Silo.Streams;

/// <summary>
/// Request-side half of an append: decoded images are encoded by this silo's codec grain (so they join its batches),
/// ready VQF frames are validated against the model registry, and the result goes to the stream's grain
/// (<see cref="IStreamGrain"/>), which stores it. <see cref="Open"/> gives a <see cref="StreamSession"/> per request
/// or per ingest socket, which keeps that caller's frames in order.
/// </summary>
public sealed class StreamAppender(
    IGrainFactory grains,
    LocalCodec codec,
    ModelRegistry registry,
    IOptions<SiloOptions> options,
    GridMetrics metrics,
    FrameSampler sampler)
{
    internal LocalCodec Codec => codec;

    internal ModelRegistry Registry => registry;

    internal int MaxImageSide => options.Value.MaxImageSide;

    internal FrameSampler? Sampler => options.Value.Trainer.SampleEvery > 0 ? sampler : null;

    internal GridMetrics Metrics => metrics;

    /// <summary>A session appending to <paramref name="tenant"/>'s <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException">A name breaks the naming rules.</exception>
    public StreamSession Open(string tenant, string stream)
    {
        StreamGrainKey key = StreamGrainKey.Of(tenant, stream);
        return new StreamSession(this, key, grains.GetGrain<IStreamGrain>(key.ToString()));
    }

    /// <summary>Deletes the stream through its grain.</summary>
    /// <returns>False when there was no such stream.</returns>
    public Task<bool> DeleteAsync(string tenant, string stream) =>
        grains.GetGrain<IStreamGrain>(StreamGrainKey.Of(tenant, stream).ToString()).DeleteAsync();
}

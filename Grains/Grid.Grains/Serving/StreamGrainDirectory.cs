using System.Collections.Concurrent;
using Grid.Contracts.Api;
using Grid.Diagnostics;
using Grid.Storage.Models;
using Grid.Storage.Streams;
using Grid.Training;

namespace Grid.Grains.Serving;

/// <summary>
/// Finds or creates the <see cref="StreamGrain"/> of a tenant's stream and drops grains that stayed idle for
/// <see cref="StreamGrainOptions.IdleExpiry"/> (a grain holds no state that Redis does not, only the order of
/// appends in progress, so dropping an idle one loses nothing). Thread-safe.
/// </summary>
public sealed class StreamGrainDirectory : IDisposable
{
    private readonly ConcurrentDictionary<(string Tenant, string Stream), StreamGrain> _grains = new();
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;
    private readonly GridMetrics _metrics;

    /// <summary>Creates the directory and starts its idle sweep.</summary>
    /// <param name="store">The streams in Redis.</param>
    /// <param name="codec">The codec grain that encodes uploaded images.</param>
    /// <param name="registry">The model registry VQF uploads are checked against.</param>
    /// <param name="options">Validation limits and idle expiry.</param>
    /// <param name="metrics">The instruments (a private meter when null).</param>
    /// <param name="time">Clock (the system's when null).</param>
    /// <param name="sampler">Samples stored image frames into the training reservoir; null samples nothing.</param>
    public StreamGrainDirectory(StreamStore store, CodecBatcher codec, ModelRegistry registry, StreamGrainOptions options, GridMetrics? metrics = null, TimeProvider? time = null,
        FrameSampler? sampler = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        Store = store;
        Codec = codec;
        Registry = registry;
        Options = options;
        Sampler = sampler;
        _time = time ?? TimeProvider.System;
        _metrics = metrics ?? GridMetrics.CreateUnshared();
        _metrics.ObserveStreamGrains(() => _grains.Count);
        TimeSpan period = options.IdleExpiry / 2 < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : options.IdleExpiry / 2;
        _sweeper = _time.CreateTimer(_ => Sweep(), null, period, period);
    }

    internal StreamStore Store { get; }

    internal CodecBatcher Codec { get; }

    internal ModelRegistry Registry { get; }

    internal StreamGrainOptions Options { get; }

    internal FrameSampler? Sampler { get; }

    internal long Now => _time.GetTimestamp();

    /// <summary>Grains cached now.</summary>
    public int Count => _grains.Count;

    /// <summary>The grain of <paramref name="tenant"/>'s <paramref name="stream"/>, created on first use.</summary>
    /// <exception cref="ArgumentException">A name breaks <see cref="StreamNames"/>' rules.</exception>
    public StreamGrain Get(string tenant, string stream)
    {
        if (StreamNames.Problem(tenant, "tenant") is { } tenantProblem)
        {
            throw new ArgumentException(tenantProblem, nameof(tenant));
        }
        if (StreamNames.Problem(stream, "stream") is { } streamProblem)
        {
            throw new ArgumentException(streamProblem, nameof(stream));
        }
        while (true)
        {
            StreamGrain grain = _grains.GetOrAdd((tenant, stream), key => new StreamGrain(this, key.Tenant, key.Stream, Now));
            if (grain.TryTouch())
            {
                return grain;
            }
            // Retired by the sweep a moment ago: replace it (only if it is still the registered one).
            _grains.TryRemove(new KeyValuePair<(string, string), StreamGrain>((tenant, stream), grain));
        }
    }

    /// <summary>Stops the idle sweep.</summary>
    public void Dispose() => _sweeper.Dispose();

    internal void CountOutcome(AppendOutcome outcome)
    {
        switch (outcome.Status)
        {
            case AppendStatus.Stored:
                _metrics.FramesStored.Add(1);
                break;
            case AppendStatus.Duplicate:
                _metrics.FramesDuplicate.Add(1);
                break;
            default:
                _metrics.FramesRejected.Add(1, GridMetrics.Tag("code", outcome.ErrorCode ?? "unknown"));
                break;
        }
    }

    internal void CountRejected(string code) => _metrics.FramesRejected.Add(1, GridMetrics.Tag("code", code));

    private void Sweep()
    {
        long idleSince = Now - (long)(Options.IdleExpiry.TotalSeconds * _time.TimestampFrequency);
        foreach (KeyValuePair<(string, string), StreamGrain> entry in _grains)
        {
            if (entry.Value.TryRetire(idleSince))
            {
                _grains.TryRemove(entry);
            }
        }
    }
}

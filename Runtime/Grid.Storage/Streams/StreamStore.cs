using Grid.Contracts.Api;
using StackExchange.Redis;

namespace Grid.Storage.Streams;

/// <summary>
/// Grid's streams in Redis (layout and rules in docs/redis.md): atomic appends with idempotent sequence numbers,
/// paged replay, metadata, listing, model-version usage and live subscriptions. Thread-safe; one per process is enough.
/// </summary>
public sealed partial class StreamStore
{
    /// <summary>Entries read per XRANGE by replays and subscriptions.</summary>
    public const int PageSize = 256;

    /// <summary>How often a live subscription re-reads its stream when no nudge came.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly AppendNudges _nudges;

    /// <summary>Creates a store over <paramref name="redis"/>.</summary>
    /// <param name="redis">The process's Redis connection.</param>
    /// <param name="time">Clock for stored timestamps (<see cref="TimeProvider.System"/> when null).</param>
    public StreamStore(RedisConnection redis, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _redis = redis;
        _time = time ?? TimeProvider.System;
        _nudges = new AppendNudges(redis.Subscriber);
    }

    /// <summary>False makes the append script skip its PUBLISH (tests prove the poll alone delivers frames).</summary>
    internal bool PublishNudges { get; set; } = true;

    /// <summary>Poll interval of live subscriptions.</summary>
    internal TimeSpan PollInterval { get; set; } = DefaultPollInterval;

    /// <summary>Channels this store is subscribed to now (one per stream with live subscribers).</summary>
    internal int SubscribedChannels => _nudges.SubscribedChannels;

    private IDatabase Database => _redis.Database;

    private static StreamKeys KeysOf(string tenant, string stream)
    {
        ThrowIfInvalidName(tenant, "tenant", nameof(tenant));
        ThrowIfInvalidName(stream, "stream", nameof(stream));
        return new StreamKeys(tenant, stream);
    }

    private static void ThrowIfInvalidName(string? name, string what, string parameter)
    {
        if (StreamNames.Problem(name, what) is { } problem)
        {
            throw new ArgumentException(problem, parameter);
        }
    }

    private static void ThrowIfNegative(long? sequence, string parameter)
    {
        if (sequence < 0)
        {
            throw new ArgumentOutOfRangeException(parameter, sequence, "sequence numbers are 0 or above");
        }
    }
}

using System.Globalization;
using System.Text.Json;
using Grid.Contracts.Api;
using Grid.Storage.Streams;
using StackExchange.Redis;

namespace Grid.Training;

/// <summary>
/// Refresh cycles in Redis (docs/redis.md, "Training"): the request queue any silo adds to and the leader takes from,
/// the cycles in progress, one record per cycle from request to outcome, and the capped history. Thread-safe.
/// </summary>
public sealed class CycleLog
{
    /// <summary>How long a cycle's own record stays after its last change.</summary>
    public static readonly TimeSpan RecordLifetime = TimeSpan.FromDays(7);

    private static readonly TimeSpan s_waitPoll = TimeSpan.FromMilliseconds(250);

    private readonly RedisConnection _redis;
    private readonly int _history;
    private readonly TimeProvider _time;

    /// <summary>Creates the log; <paramref name="history"/> records are kept in <c>grid:train:cycles</c>.</summary>
    public CycleLog(RedisConnection redis, int history = 100, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentOutOfRangeException.ThrowIfLessThan(history, 1);
        _redis = redis;
        _history = history;
        _time = time ?? TimeProvider.System;
    }

    private IDatabase Database => _redis.Database;

    /// <summary>
    /// Asks the leader for a refresh cycle. When one is already waiting (not yet started), that one is returned instead
    /// of queueing another: it will use the same data. <c>Created</c> says which.
    /// </summary>
    public async Task<(RefreshCycle Cycle, bool Created)> RequestAsync(string requestedBy, CancellationToken cancellationToken = default)
    {
        IDatabase database = Database;
        RedisValue[] waiting = await database.ListRangeAsync(TrainKeys.Requests, 0, -1).WaitAsync(cancellationToken).ConfigureAwait(false);
        foreach (RedisValue id in waiting)
        {
            if (long.TryParse((string?)id, NumberStyles.None, CultureInfo.InvariantCulture, out long queuedId)
                && await GetAsync(queuedId, cancellationToken).ConfigureAwait(false) is { Status: CycleStatus.Queued } queued)
            {
                return (queued, false);
            }
        }
        // Two silos asking at the same instant may both queue one; the second cycle then simply runs after the first.
        var cycle = new RefreshCycle
        {
            Id = await database.StringIncrementAsync(TrainKeys.CycleIds).WaitAsync(cancellationToken).ConfigureAwait(false),
            Status = CycleStatus.Queued,
            Trigger = "request",
            RequestedBy = requestedBy,
            Requested = _time.GetUtcNow(),
        };
        await SaveAsync(cycle, cancellationToken).ConfigureAwait(false);
        await database.ListLeftPushAsync(TrainKeys.Requests, cycle.Id).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (cycle, true);
    }

    /// <summary>
    /// The leader takes the oldest waiting request, moving its id to the running list in the same command
    /// (RPOPLPUSH), so a leader that dies right after leaves it for its successor to find. Null when none waits.
    /// </summary>
    public async Task<RefreshCycle?> TakeRequestAsync(CancellationToken cancellationToken = default)
    {
        RedisValue id = await Database.ListRightPopLeftPushAsync(TrainKeys.Requests, TrainKeys.Running).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (id.IsNull || !long.TryParse((string?)id, NumberStyles.None, CultureInfo.InvariantCulture, out long cycleId))
        {
            return null;
        }
        return await GetAsync(cycleId, cancellationToken).ConfigureAwait(false)
            ?? new RefreshCycle { Id = cycleId, Status = CycleStatus.Queued, Trigger = "request", Requested = _time.GetUtcNow() };
    }

    /// <summary>Starts a scheduled cycle: a new id, recorded as running.</summary>
    public async Task<RefreshCycle> NewScheduledAsync(CancellationToken cancellationToken = default)
    {
        IDatabase database = Database;
        long id = await database.StringIncrementAsync(TrainKeys.CycleIds).WaitAsync(cancellationToken).ConfigureAwait(false);
        await database.ListLeftPushAsync(TrainKeys.Running, id).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new RefreshCycle { Id = id, Status = CycleStatus.Queued, Trigger = "schedule", Requested = _time.GetUtcNow() };
    }

    /// <summary>Stores the cycle's record (its own key; the history gets it when it finishes).</summary>
    public Task SaveAsync(RefreshCycle cycle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        return Database.StringSetAsync(TrainKeys.Cycle(cycle.Id), Serialize(cycle), RecordLifetime).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Records a finished cycle: its own key, the head of the capped history, off the running list, and the time and
    /// sample count a scheduled cycle is measured from.
    /// </summary>
    public async Task FinishAsync(RefreshCycle cycle, long sampledTotal)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        if (!CycleStatus.IsFinal(cycle.Status))
        {
            throw new ArgumentException($"cycle {cycle.Id} is still {cycle.Status}", nameof(cycle));
        }
        IDatabase database = Database;
        string json = Serialize(cycle);
        long finished = (cycle.Finished ?? _time.GetUtcNow()).ToUnixTimeMilliseconds();
        await Task.WhenAll(
            database.StringSetAsync(TrainKeys.Cycle(cycle.Id), json, RecordLifetime),
            database.ListLeftPushAsync(TrainKeys.Cycles, json),
            database.ListTrimAsync(TrainKeys.Cycles, 0, _history - 1),
            database.ListRemoveAsync(TrainKeys.Running, cycle.Id),
            database.HashSetAsync(TrainKeys.LastCycle, [new HashEntry("finished", finished), new HashEntry("sampled", sampledTotal)])).ConfigureAwait(false);
    }

    /// <summary>Takes <paramref name="id"/> off the running list (a finished cycle whose removal did not happen).</summary>
    public Task ForgetRunningAsync(long id) => Database.ListRemoveAsync(TrainKeys.Running, id);

    /// <summary>The record of cycle <paramref name="id"/>; null when unknown (or older than a week).</summary>
    public async Task<RefreshCycle?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        RedisValue json = await Database.StringGetAsync(TrainKeys.Cycle(id)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return json.IsNull ? null : Deserialize(json!);
    }

    /// <summary>
    /// Waits until cycle <paramref name="id"/> is published, rejected, aborted or failed, polling its record; returns
    /// the last record seen (not final when <paramref name="timeout"/> passed first), or null for an unknown cycle.
    /// </summary>
    public async Task<RefreshCycle?> WaitAsync(long id, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        long deadline = _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            RefreshCycle? cycle = await GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (cycle is null || CycleStatus.IsFinal(cycle.Status) || _time.GetTimestamp() >= deadline)
            {
                return cycle;
            }
            await Task.Delay(s_waitPoll, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Finished cycles, newest first (at most <paramref name="count"/>).</summary>
    public async Task<IReadOnlyList<RefreshCycle>> RecentAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        RedisValue[] items = await Database.ListRangeAsync(TrainKeys.Cycles, 0, count - 1).WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. items.Select(i => Deserialize(i!))];
    }

    /// <summary>Ids on the running list (cycles started and not finished: in progress, or left by a dead leader).</summary>
    public async Task<IReadOnlyList<long>> RunningAsync(CancellationToken cancellationToken = default)
    {
        RedisValue[] items = await Database.ListRangeAsync(TrainKeys.Running, 0, -1).WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. items.Select(i => long.TryParse((string?)i, NumberStyles.None, CultureInfo.InvariantCulture, out long id) ? id : -1).Where(id => id >= 0).Distinct()];
    }

    /// <summary>Ids of requested cycles waiting for the leader, oldest first.</summary>
    public async Task<IReadOnlyList<long>> QueuedAsync(CancellationToken cancellationToken = default)
    {
        RedisValue[] items = await Database.ListRangeAsync(TrainKeys.Requests, 0, -1).WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. items.Reverse().Select(i => long.TryParse((string?)i, NumberStyles.None, CultureInfo.InvariantCulture, out long id) ? id : -1).Where(id => id >= 0).Distinct()];
    }

    /// <summary>When the last cycle finished and the reservoir's sample count it had read; nulls before the first.</summary>
    public async Task<(DateTimeOffset? Finished, long Sampled)> LastCycleAsync(CancellationToken cancellationToken = default)
    {
        RedisValue[] fields = await Database.HashGetAsync(TrainKeys.LastCycle, ["finished", "sampled"]).WaitAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset? finished = fields[0].IsNull ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)fields[0]);
        return (finished, fields[1].IsNull ? 0 : (long)fields[1]);
    }

    internal static string Serialize(RefreshCycle cycle) => JsonSerializer.Serialize(cycle, GridJson.Options);

    internal static RefreshCycle Deserialize(string json) =>
        JsonSerializer.Deserialize<RefreshCycle>(json, GridJson.Options) ?? throw new InvalidDataException("empty cycle record");
}

using System.Globalization;
using Grid.Storage.Streams;
using StackExchange.Redis;

namespace Grid.Training;

/// <summary>
/// The bounded reservoir of sampled raw frames in Redis (docs/redis.md, "Training"): per stream, a training part of
/// <see cref="TrainerOptions.StreamCapacity"/> slots and a held-out part of <see cref="TrainerOptions.HeldOutCapacity"/>
/// slots, each filled by Algorithm R over the frames offered to it, so a stream's slots are a uniform sample of all its
/// sampled frames however long it runs; at most <see cref="TrainerOptions.MaxStreams"/> streams, the one sampled least
/// recently making room for a new one. A cycle reads equally from every stream, so a busy camera cannot crowd out
/// the others. Thread-safe.
/// </summary>
public sealed class ReservoirStore
{
    // Algorithm R's slot decision, atomic per stream part so concurrent silos count each offered frame once.
    // KEYS[1] reservoir hash; ARGV[1] counter field; ARGV[2] capacity; ARGV[3] uniform draw in [0, 1).
    // Returns the slot to write, or -1 when the frame is not kept.
    private static readonly RedisScript s_reserve = new("reserve-sample", """
        local n = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
        local capacity = tonumber(ARGV[2])
        if n <= capacity then
          return n - 1
        end
        local slot = math.floor(tonumber(ARGV[3]) * n)
        if slot < capacity then
          return slot
        end
        return -1
        """);

    private readonly RedisConnection _redis;
    private readonly TrainerOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a store over <paramref name="redis"/> with the capacities of <paramref name="options"/>.</summary>
    public ReservoirStore(RedisConnection redis, TrainerOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    private IDatabase Database => _redis.Database;

    /// <summary>
    /// Counts a frame offered to a stream's part and decides by Algorithm R whether it is kept: the slot to write, or
    /// null when not. <paramref name="uniform"/> is the frame's draw in [0, 1) (<see cref="SampleHash.Uniform"/>).
    /// </summary>
    public async Task<long?> ReserveAsync(string member, bool heldOut, double uniform)
    {
        int capacity = heldOut ? _options.HeldOutCapacity : _options.StreamCapacity;
        RedisResult result = await s_reserve.EvaluateAsync(Database, [TrainKeys.Reservoir(member)],
            [heldOut ? TrainKeys.HeldOutSeenField : TrainKeys.TrainSeenField, capacity, uniform.ToString("R", CultureInfo.InvariantCulture)]).ConfigureAwait(false);
        long slot = (long)result;
        return slot >= 0 ? slot : null;
    }

    /// <summary>
    /// Writes a sample into a reserved slot and records the stream in the directory (dropping the least recently
    /// sampled streams beyond <see cref="TrainerOptions.MaxStreams"/>).
    /// </summary>
    public async Task WriteAsync(string member, bool heldOut, long slot, long sequence, byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        IDatabase database = Database;
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        RedisKey key = TrainKeys.Reservoir(member);
        string meta = string.Create(CultureInfo.InvariantCulture, $"{sequence},{now}");
        // One round trip: the slot, the stream's expiry, the directory and the all-time counter.
        Task write = database.HashSetAsync(key, [new HashEntry(TrainKeys.SampleField(heldOut, slot), png), new HashEntry(TrainKeys.MetaField(heldOut, slot), meta)]);
        Task expire = database.KeyExpireAsync(key, TimeSpan.FromHours(_options.ReservoirTtlHours));
        Task<bool> added = database.SortedSetAddAsync(TrainKeys.Streams, member, now);
        Task counted = database.StringIncrementAsync(TrainKeys.Sampled);
        await Task.WhenAll(write, expire, added, counted).ConfigureAwait(false);
        if (added.Result)
        {
            await TrimStreamsAsync(database).ConfigureAwait(false);
        }
    }

    /// <summary>The all-time number of samples written (<c>grid:train:sampled</c>).</summary>
    public async Task<long> SampledTotalAsync(CancellationToken cancellationToken = default)
    {
        RedisValue value = await Database.StringGetAsync(TrainKeys.Sampled).WaitAsync(cancellationToken).ConfigureAwait(false);
        return value.IsNull ? 0 : (long)value;
    }

    /// <summary>Streams in the reservoir and the samples their parts hold now.</summary>
    public async Task<ReservoirCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<StreamCounts> streams = await ReadCountsAsync(cancellationToken).ConfigureAwait(false);
        return new ReservoirCounts(streams.Count, streams.Sum(s => s.Train), streams.Sum(s => s.HeldOut));
    }

    /// <summary>
    /// Reads up to <paramref name="maxTrain"/> training and <paramref name="maxHeldOut"/> held-out samples, as equally
    /// from every stream as their contents allow (a stream with fewer samples than its share gives the rest to the
    /// others), choosing slots at random from <paramref name="seed"/>.
    /// </summary>
    public async Task<ReservoirSnapshot> ReadAsync(int maxTrain, int maxHeldOut, ulong seed, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTrain);
        ArgumentOutOfRangeException.ThrowIfNegative(maxHeldOut);
        long sampledTotal = await SampledTotalAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<StreamCounts> streams = await ReadCountsAsync(cancellationToken).ConfigureAwait(false);
        int[] trainShares = Shares(streams.Select(s => s.Train).ToArray(), maxTrain);
        int[] heldOutShares = Shares(streams.Select(s => s.HeldOut).ToArray(), maxHeldOut);
        IDatabase database = Database;
        var pending = new List<(string Member, bool HeldOut, long[] Slots, Task<RedisValue[]> Values)>();
        for (int i = 0; i < streams.Count; i++)
        {
            var random = new StepRandom(seed, i);
            foreach ((bool heldOut, int filled, int share) in new[] { (false, streams[i].Train, trainShares[i]), (true, streams[i].HeldOut, heldOutShares[i]) })
            {
                if (share == 0)
                {
                    continue;
                }
                long[] slots = Choose(filled, share, ref random);
                RedisValue[] fields = [.. slots.SelectMany(s => new RedisValue[] { TrainKeys.SampleField(heldOut, s), TrainKeys.MetaField(heldOut, s) })];
                pending.Add((streams[i].Member, heldOut, slots, database.HashGetAsync(TrainKeys.Reservoir(streams[i].Member), fields)));
            }
        }
        var train = new List<ReservoirSample>();
        var heldOutSamples = new List<ReservoirSample>();
        foreach ((string member, bool heldOut, long[] slots, Task<RedisValue[]> values) in pending)
        {
            RedisValue[] read = await values.WaitAsync(cancellationToken).ConfigureAwait(false);
            for (int s = 0; s < slots.Length; s++)
            {
                // A slot reserved but never written (its writer failed) or a stream expired meanwhile: skipped.
                if (read[2 * s].IsNull || !TryParseMeta(read[(2 * s) + 1], out long sequence, out long sampledMs))
                {
                    continue;
                }
                var sample = new ReservoirSample(member, sequence, DateTimeOffset.FromUnixTimeMilliseconds(sampledMs), (byte[])read[2 * s]!);
                (heldOut ? heldOutSamples : train).Add(sample);
            }
        }
        return new ReservoirSnapshot(train, heldOutSamples, streams.Count, sampledTotal);
    }

    /// <summary>Deletes every sample and counter of the reservoir (for tests and operators starting afresh).</summary>
    public async Task ClearAsync()
    {
        IDatabase database = Database;
        RedisValue[] members = await database.SortedSetRangeByRankAsync(TrainKeys.Streams).ConfigureAwait(false);
        RedisKey[] keys = [.. members.Select(m => TrainKeys.Reservoir((string)m!)), TrainKeys.Streams, TrainKeys.Sampled];
        await database.KeyDeleteAsync(keys).ConfigureAwait(false);
    }

    /// <summary>
    /// Splits <paramref name="total"/> over streams holding <paramref name="available"/> samples as equally as
    /// possible: each gets at most its contents, and what a small stream cannot use goes to the others.
    /// </summary>
    internal static int[] Shares(int[] available, int total)
    {
        int[] shares = new int[available.Length];
        int remaining = total;
        // Smallest first: each takes min(contents, equal share of what is left among those not yet served).
        int[] order = [.. Enumerable.Range(0, available.Length).OrderBy(i => available[i]).ThenBy(i => i)];
        for (int k = 0; k < order.Length; k++)
        {
            int left = order.Length - k;
            int equal = (remaining + left - 1) / left;
            int take = Math.Min(available[order[k]], equal);
            shares[order[k]] = take;
            remaining -= take;
        }
        return shares;
    }

    private static long[] Choose(int filled, int count, ref StepRandom random)
    {
        // A partial Fisher-Yates shuffle of the filled slots.
        long[] slots = [.. Enumerable.Range(0, filled).Select(i => (long)i)];
        for (int i = 0; i < count; i++)
        {
            int j = i + random.Next(filled - i);
            (slots[i], slots[j]) = (slots[j], slots[i]);
        }
        return slots[..count];
    }

    private static bool TryParseMeta(RedisValue value, out long sequence, out long sampledMs)
    {
        sequence = 0;
        sampledMs = 0;
        string? text = value;
        int comma = text?.IndexOf(',', StringComparison.Ordinal) ?? -1;
        return comma > 0
            && long.TryParse(text.AsSpan(0, comma), NumberStyles.None, CultureInfo.InvariantCulture, out sequence)
            && long.TryParse(text.AsSpan(comma + 1), NumberStyles.None, CultureInfo.InvariantCulture, out sampledMs);
    }

    private async Task<IReadOnlyList<StreamCounts>> ReadCountsAsync(CancellationToken cancellationToken)
    {
        IDatabase database = Database;
        RedisValue[] members = await database.SortedSetRangeByRankAsync(TrainKeys.Streams, 0, -1, Order.Descending).WaitAsync(cancellationToken).ConfigureAwait(false);
        var pending = members.Select(m => ((string)m!, database.HashGetAsync(TrainKeys.Reservoir((string)m!), [TrainKeys.TrainSeenField, TrainKeys.HeldOutSeenField]))).ToList();
        var streams = new List<StreamCounts>(pending.Count);
        var expired = new List<RedisValue>();
        foreach ((string member, Task<RedisValue[]> counts) in pending)
        {
            RedisValue[] values = await counts.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (values[0].IsNull && values[1].IsNull)
            {
                expired.Add(member);
                continue;
            }
            int train = (int)Math.Min(values[0].IsNull ? 0 : (long)values[0], _options.StreamCapacity);
            int heldOut = (int)Math.Min(values[1].IsNull ? 0 : (long)values[1], _options.HeldOutCapacity);
            streams.Add(new StreamCounts(member, train, heldOut));
        }
        if (expired.Count > 0)
        {
            await database.SortedSetRemoveAsync(TrainKeys.Streams, [.. expired]).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        return streams;
    }

    private async Task TrimStreamsAsync(IDatabase database)
    {
        long count = await database.SortedSetLengthAsync(TrainKeys.Streams).ConfigureAwait(false);
        if (count <= _options.MaxStreams)
        {
            return;
        }
        RedisValue[] oldest = await database.SortedSetRangeByRankAsync(TrainKeys.Streams, 0, count - _options.MaxStreams - 1).ConfigureAwait(false);
        await Task.WhenAll(
            database.KeyDeleteAsync([.. oldest.Select(m => TrainKeys.Reservoir((string)m!))]),
            database.SortedSetRemoveAsync(TrainKeys.Streams, oldest)).ConfigureAwait(false);
    }

    private sealed record StreamCounts(string Member, int Train, int HeldOut);
}

/// <summary>What the reservoir holds now.</summary>
/// <param name="Streams">Streams with samples.</param>
/// <param name="Train">Training samples over all streams.</param>
/// <param name="HeldOut">Held-out samples over all streams.</param>
public sealed record ReservoirCounts(int Streams, long Train, long HeldOut);

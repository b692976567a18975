using System.Runtime.CompilerServices;
using Grid.Contracts.Api;
using StackExchange.Redis;
using StreamInfo = Grid.Contracts.Api.StreamInfo;

namespace Grid.Storage.Streams;

public sealed partial class StreamStore
{
    private const int DirectoryPageSize = 512;

    /// <summary>
    /// Frames with <paramref name="from"/> &lt;= sequence &lt;= <paramref name="to"/> (either bound optional), in
    /// ascending order, read <see cref="PageSize"/> at a time so a long replay never sits in memory. An unknown stream
    /// or an empty range yields nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A bad name or a negative bound (thrown by this call, not by the enumeration).</exception>
    public IAsyncEnumerable<StreamRecord> ReplayAsync(string tenant, string stream, long? from, long? to, CancellationToken cancellationToken = default)
    {
        StreamKeys keys = KeysOf(tenant, stream);
        ThrowIfNegative(from, nameof(from));
        ThrowIfNegative(to, nameof(to));
        return ReplayCoreAsync(keys, from, to, cancellationToken);
    }

    /// <summary>The frame stored under <paramref name="sequence"/>; null when there is none.</summary>
    public async Task<StreamRecord?> GetAsync(string tenant, string stream, long sequence, CancellationToken cancellationToken = default)
    {
        StreamKeys keys = KeysOf(tenant, stream);
        ThrowIfNegative(sequence, nameof(sequence));
        string id = StreamEntries.IdOf(sequence);
        List<StreamRecord> page = await ReadRangeAsync(keys, id, id, 1, cancellationToken).ConfigureAwait(false);
        return page.Count == 0 ? null : page[0];
    }

    /// <summary>
    /// Up to <paramref name="count"/> frames with sequence &lt;= <paramref name="atOrBefore"/> (null: from the last
    /// one), newest first: what a reader walks back through to the key frame an inter frame needs.
    /// </summary>
    /// <exception cref="ArgumentException">A bad name or a negative bound.</exception>
    public async Task<IReadOnlyList<StreamRecord>> ReadBackAsync(string tenant, string stream, long? atOrBefore, int count, CancellationToken cancellationToken = default)
    {
        StreamKeys keys = KeysOf(tenant, stream);
        ThrowIfNegative(atOrBefore, nameof(atOrBefore));
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        cancellationToken.ThrowIfCancellationRequested();
        StreamEntry[] entries = await Database.StreamRangeAsync(keys.Frames, "-", atOrBefore is { } last ? StreamEntries.IdOf(last) : "+", count, Order.Descending)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return StreamEntries.ParseRange(entries, keys.Frames);
    }

    /// <summary>The stream's metadata; null when the stream does not exist.</summary>
    public async Task<StreamInfo?> GetInfoAsync(string tenant, string stream, CancellationToken cancellationToken = default)
    {
        StreamKeys keys = KeysOf(tenant, stream);
        HashEntry[] meta = await Database.HashGetAllAsync(keys.Meta).WaitAsync(cancellationToken).ConfigureAwait(false);
        return StreamEntries.ParseInfo(keys, meta);
    }

    /// <summary>Every stream (of <paramref name="tenant"/> when given), oldest first.</summary>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is not a valid tenant name.</exception>
    public async Task<IReadOnlyList<StreamInfo>> ListAsync(string? tenant = null, CancellationToken cancellationToken = default)
    {
        if (tenant is not null)
        {
            ThrowIfInvalidName(tenant, "tenant", nameof(tenant));
        }
        var streams = new List<StreamInfo>();
        await foreach ((StreamKeys keys, HashEntry[] meta) in ReadDirectoryAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            if (StreamEntries.ParseInfo(keys, meta) is { } info)
            {
                streams.Add(info);
            }
        }
        return streams;
    }

    /// <summary>
    /// Frames stored per model version across all streams (the sum of every stream's <c>mv:&lt;version&gt;</c>
    /// count). A model version absent here has no frames and may be retired.
    /// </summary>
    public async Task<IReadOnlyDictionary<uint, long>> ModelVersionUsageAsync(CancellationToken cancellationToken = default)
    {
        var usage = new Dictionary<uint, long>();
        await foreach ((_, HashEntry[] meta) in ReadDirectoryAsync(null, cancellationToken).ConfigureAwait(false))
        {
            StreamEntries.AddModelVersionUsage(meta, usage);
        }
        return usage;
    }

    private async IAsyncEnumerable<StreamRecord> ReplayCoreAsync(StreamKeys keys, long? from, long? to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (from > to)
        {
            yield break;
        }
        string start = from is { } first ? StreamEntries.IdOf(first) : "-";
        string end = to is { } last ? StreamEntries.IdOf(last) : "+";
        while (true)
        {
            List<StreamRecord> page = await ReadRangeAsync(keys, start, end, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (StreamRecord record in page)
            {
                yield return record;
            }
            if (page.Count < PageSize)
            {
                yield break;
            }
            start = "(" + StreamEntries.IdOf(page[^1].Sequence);
        }
    }

    /// <summary>One XRANGE: entries from <paramref name="start"/> to <paramref name="end"/> (Redis id syntax), at most <paramref name="count"/>.</summary>
    private async Task<List<StreamRecord>> ReadRangeAsync(StreamKeys keys, string start, string end, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        StreamEntry[] entries = await Database.StreamRangeAsync(keys.Frames, start, end, count)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return StreamEntries.ParseRange(entries, keys.Frames);
    }

    /// <summary>
    /// The directory's streams with their meta hashes, a page of members at a time (their hashes fetched in one
    /// pipeline). Members whose meta hash is missing (an append that failed after its ZADD) come with an empty hash.
    /// </summary>
    private async IAsyncEnumerable<(StreamKeys Keys, HashEntry[] Meta)> ReadDirectoryAsync(string? tenant, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IDatabase database = Database;
        string? prefix = tenant is null ? null : tenant + "/";
        for (long offset = 0; ; offset += DirectoryPageSize)
        {
            RedisValue[] members = await database.SortedSetRangeByRankAsync(StreamKeys.Directory, offset, offset + DirectoryPageSize - 1)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            var page = new List<(StreamKeys Keys, Task<HashEntry[]> Meta)>(members.Length);
            foreach (RedisValue member in members)
            {
                string name = (string)member!;
                if ((prefix is null || name.StartsWith(prefix, StringComparison.Ordinal)) && StreamKeys.TryParseMember(name, out StreamKeys keys))
                {
                    page.Add((keys, database.HashGetAllAsync(keys.Meta)));
                }
            }
            foreach ((StreamKeys keys, Task<HashEntry[]> meta) in page)
            {
                yield return (keys, await meta.WaitAsync(cancellationToken).ConfigureAwait(false));
            }
            if (members.Length < DirectoryPageSize)
            {
                yield break;
            }
        }
    }
}

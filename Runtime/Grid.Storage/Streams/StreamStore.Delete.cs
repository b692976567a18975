using StackExchange.Redis;

namespace Grid.Storage.Streams;

public sealed partial class StreamStore
{
    private static readonly RedisScript s_deleteScript = RedisScript.FromResource("delete.lua");

    /// <summary>
    /// Deletes a stream: its frames and metadata (atomically, by script), then its directory entry. Its frames stop
    /// counting for model retention with it. An append racing the delete either is deleted with the stream or starts
    /// a new one at sequence 0; in the second case the directory entry is put back, so the new stream stays listed.
    /// </summary>
    /// <returns>False when the stream did not exist.</returns>
    /// <exception cref="ArgumentException">A bad tenant or stream name.</exception>
    public async Task<bool> DeleteAsync(string tenant, string stream, CancellationToken cancellationToken = default)
    {
        StreamKeys keys = KeysOf(tenant, stream);
        cancellationToken.ThrowIfCancellationRequested();
        IDatabase database = Database;
        RedisResult existed = await s_deleteScript.EvaluateAsync(database, [keys.Frames, keys.Meta], []).ConfigureAwait(false);
        // Wakes live subscribers at once: they find the stream gone and end (StreamDeletedException).
        await database.PublishAsync(RedisChannel.Literal(keys.AppendedChannel), "deleted").ConfigureAwait(false);
        await database.SortedSetRemoveAsync(StreamKeys.Directory, keys.DirectoryMember).ConfigureAwait(false);
        if (await database.KeyExistsAsync(keys.Meta).ConfigureAwait(false))
        {
            await database.SortedSetAddAsync(StreamKeys.Directory, keys.DirectoryMember, _time.GetUtcNow().ToUnixTimeMilliseconds(), When.NotExists).ConfigureAwait(false);
        }
        return (long)existed == 1;
    }
}

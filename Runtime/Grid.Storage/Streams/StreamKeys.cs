using StackExchange.Redis;

namespace Grid.Storage.Streams;

/// <summary>
/// Redis names of one stream (docs/redis.md). The hash tag <c>{s:tenant:stream}</c> puts all keys of a stream in one
/// cluster slot, so the append script may touch them together; names cannot contain ':' or braces, so the tag is
/// unambiguous.
/// </summary>
internal readonly record struct StreamKeys(string Tenant, string Stream)
{
    /// <summary>Sorted set of every stream as <c>tenant/stream</c>, scored by creation time (Unix ms).</summary>
    public static readonly RedisKey Directory = "grid:streams";

    private string Tag => $"grid:{{s:{Tenant}:{Stream}}}";

    /// <summary>The Redis Stream holding the frames, entry id <c>&lt;seq&gt;-1</c>.</summary>
    public RedisKey Frames => Tag + ":frames";

    /// <summary>The hash holding the stream's metadata and per-model-version frame counts.</summary>
    public RedisKey Meta => Tag + ":meta";

    /// <summary>Pub/sub channel the append script publishes each batch's highest stored sequence number on.</summary>
    public string AppendedChannel => Tag + ":appended";

    /// <summary>Member of <see cref="Directory"/>.</summary>
    public string DirectoryMember => $"{Tenant}/{Stream}";

    /// <summary>Parses a <see cref="DirectoryMember"/>; false when it is not one.</summary>
    public static bool TryParseMember(string member, out StreamKeys keys)
    {
        int slash = member.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == member.Length - 1)
        {
            keys = default;
            return false;
        }
        keys = new StreamKeys(member[..slash], member[(slash + 1)..]);
        return true;
    }
}

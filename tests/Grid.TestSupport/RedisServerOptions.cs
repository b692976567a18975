namespace Grid.TestSupport;

/// <summary>How <see cref="RedisServer"/> runs redis-server.</summary>
public sealed record RedisServerOptions
{
    /// <summary>No persistence at all (<c>--save "" --appendonly no</c>): the fastest server, for most tests.</summary>
    public static RedisServerOptions Default { get; } = new();

    /// <summary>
    /// Append-only file with this fsync policy (<c>--appendonly yes --appendfsync ...</c>); null keeps persistence off.
    /// </summary>
    public AppendFsync? AppendOnly { get; init; }

    /// <summary>Further <c>--name value</c> arguments, e.g. <c>["--maxmemory", "64mb"]</c>.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>How long to wait for the server to answer PING after it starts.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The redis-server executable; null searches PATH, /usr/bin and /usr/local/bin.</summary>
    public string? Executable { get; init; }

    /// <summary>Options for an append-only server with the given fsync policy.</summary>
    public static RedisServerOptions WithAppendOnly(AppendFsync fsync) => new() { AppendOnly = fsync };
}

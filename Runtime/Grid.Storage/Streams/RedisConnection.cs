using StackExchange.Redis;

namespace Grid.Storage.Streams;

/// <summary>
/// The process's one <see cref="ConnectionMultiplexer"/>: every Redis user in a process shares it (it pipelines
/// commands from all callers over one socket). Blocking commands (XREAD BLOCK, BLPOP, ...) must never be sent on it:
/// they would stall every other caller queued behind them.
/// </summary>
public sealed class RedisConnection : IDisposable
{
    /// <summary>Connect timeout used unless the configuration string sets <c>connectTimeout</c>.</summary>
    public const int DefaultConnectTimeoutMs = 5000;

    /// <summary>
    /// Timeout of operations unless the configuration string sets <c>syncTimeout</c>/<c>asyncTimeout</c>; the
    /// client's default of 5 s, kept explicit because batches of large frames on a busy server come close to it.
    /// </summary>
    public const int DefaultSyncTimeoutMs = 5000;

    private readonly ConnectionMultiplexer _multiplexer;

    private RedisConnection(ConnectionMultiplexer multiplexer) => _multiplexer = multiplexer;

    /// <summary>The multiplexer itself, for the few operations the wrappers below do not cover.</summary>
    public ConnectionMultiplexer Multiplexer => _multiplexer;

    /// <summary>Database 0 (or the configuration's <c>defaultDatabase</c>).</summary>
    public IDatabase Database => _multiplexer.GetDatabase();

    /// <summary>The pub/sub side of the multiplexer.</summary>
    public ISubscriber Subscriber => _multiplexer.GetSubscriber();

    /// <summary>True while at least one server connection is up.</summary>
    public bool IsConnected => _multiplexer.IsConnected;

    /// <summary>
    /// Connects with <c>abortConnect=false</c> (a Redis that is down at startup is retried in the background instead of
    /// failing the process) and the default timeouts above unless <paramref name="configuration"/> sets them.
    /// </summary>
    /// <param name="configuration">A StackExchange.Redis configuration string, e.g. <c>localhost:6379,password=...</c>.</param>
    /// <exception cref="ArgumentException">The configuration string is empty, malformed or sets a channel prefix.</exception>
    public static RedisConnection Connect(string configuration) =>
        new(ConnectionMultiplexer.Connect(CreateOptions(configuration)));

    /// <summary>Asynchronous form of <see cref="Connect"/>.</summary>
    public static async Task<RedisConnection> ConnectAsync(string configuration) =>
        new(await ConnectionMultiplexer.ConnectAsync(CreateOptions(configuration)).ConfigureAwait(false));

    /// <summary>Round-trip time of a PING to the server.</summary>
    public Task<TimeSpan> PingAsync() => Database.PingAsync();

    /// <summary>Closes the connection, letting commands already sent complete.</summary>
    public void Dispose()
    {
        _multiplexer.Close(allowCommandsToComplete: true);
        _multiplexer.Dispose();
    }

    internal static ConfigurationOptions CreateOptions(string configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration))
        {
            throw new ArgumentException("Redis configuration string is empty; expected e.g. \"localhost:6379\"", nameof(configuration));
        }
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Redis configuration string '{configuration}' is invalid: {e.Message}", nameof(configuration), e);
        }
        if (options.EndPoints.Count == 0)
        {
            throw new ArgumentException($"Redis configuration string '{configuration}' names no endpoint", nameof(configuration));
        }
        if (options.ChannelPrefix is { IsNullOrEmpty: false })
        {
            // The append script publishes on the raw channel name; a prefix would hide those messages from us.
            throw new ArgumentException($"Redis configuration string '{configuration}' sets channelPrefix, which Grid does not support", nameof(configuration));
        }
        options.AbortOnConnectFail = false;
        // A command sent while Redis is unreachable fails at once (as health checks, the model bootstrapper and 503
        // answers expect) instead of waiting in the client's backlog until its timeout.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        if (!SetsOption(configuration, "connectTimeout"))
        {
            options.ConnectTimeout = DefaultConnectTimeoutMs;
        }
        if (!SetsOption(configuration, "syncTimeout"))
        {
            options.SyncTimeout = DefaultSyncTimeoutMs;
        }
        return options;
    }

    private static bool SetsOption(string configuration, string name)
    {
        foreach (string part in configuration.Split(','))
        {
            string trimmed = part.Trim();
            if (trimmed.StartsWith(name, StringComparison.OrdinalIgnoreCase) && trimmed.AsSpan(name.Length).TrimStart().StartsWith("="))
            {
                return true;
            }
        }
        return false;
    }
}

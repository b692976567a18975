namespace Grid.TestSupport;

/// <summary>
/// One real redis-server for a test collection. xunit only finds collection definitions in the test assembly itself,
/// so each test project declares its own:
/// <code>
/// [CollectionDefinition(Name)]
/// public sealed class RedisCollection : ICollectionFixture&lt;RedisFixture&gt; { public const string Name = "redis"; }
///
/// [Collection(RedisCollection.Name)]
/// public sealed class SomeTests(RedisFixture redis) { ... redis.ConnectionString ... }
/// </code>
/// Tests of a collection share the server, so each should use keys of its own (e.g. a fresh tenant per test).
/// Derive and override <see cref="Options"/> for another configuration.
/// </summary>
public class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    /// <summary>The running server.</summary>
    /// <exception cref="InvalidOperationException">Read before xunit initialised the fixture.</exception>
    public RedisServer Server => _server ?? throw new InvalidOperationException("RedisFixture is not initialised yet");

    /// <summary>StackExchange.Redis configuration string of <see cref="Server"/>.</summary>
    public string ConnectionString => Server.ConnectionString;

    /// <summary>How the server runs; <see cref="RedisServerOptions.Default"/> (no persistence) unless overridden.</summary>
    protected virtual RedisServerOptions Options => RedisServerOptions.Default;

    /// <inheritdoc />
    public virtual async Task InitializeAsync() => _server = await RedisServer.StartAsync(Options).ConfigureAwait(false);

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }
    }
}

using Grid.Storage.Streams;
using Grid.TestSupport;

namespace Grid.Runtime.Tests.Streams;

[Collection(RedisCollection.Name)]
public sealed class RedisConnectionTests(RedisFixture redis)
{
    [Fact]
    public async Task ConnectsAndPings()
    {
        using RedisConnection connection = await RedisConnection.ConnectAsync(redis.ConnectionString);

        TimeSpan roundTrip = await connection.PingAsync();

        Assert.True(connection.IsConnected);
        Assert.True(roundTrip >= TimeSpan.Zero);
    }

    [Fact]
    public void OptionsNeverAbortOnConnectFailAndDefaultTheTimeouts()
    {
        var options = RedisConnection.CreateOptions("localhost:6379,abortConnect=true");
        var explicitTimeouts = RedisConnection.CreateOptions("localhost:6379, connectTimeout = 1234,syncTimeout=77");

        Assert.False(options.AbortOnConnectFail);
        Assert.Equal((RedisConnection.DefaultConnectTimeoutMs, RedisConnection.DefaultSyncTimeoutMs), (options.ConnectTimeout, options.SyncTimeout));
        Assert.Equal((1234, 77), (explicitTimeouts.ConnectTimeout, explicitTimeouts.SyncTimeout));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("password=x", "names no endpoint")]
    [InlineData("localhost,channelPrefix=app", "channelPrefix")]
    public void BadConfigurationStringsAreRejected(string configuration, string expected)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => RedisConnection.CreateOptions(configuration));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableServerDoesNotThrowOnConnectButFailsCommands()
    {
        using RedisConnection connection = RedisConnection.Connect($"127.0.0.1:{FreePort.Next()},connectTimeout=200");

        Assert.False(connection.IsConnected);
        await Assert.ThrowsAnyAsync<StackExchange.Redis.RedisException>(() => new StreamStore(connection).GetInfoAsync("t", "s"));
    }
}

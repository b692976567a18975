using Grid.Storage.Streams;
using Grid.Grains.Training;
using Grid.TestSupport;

namespace Grid.Runtime.Tests.Training;

/// <summary>The trainer lease against a real redis-server (one per test: the lease key is global).</summary>
public sealed class TrainerLeaseTests
{
    [Fact]
    public async Task OnlyOneSiloHoldsTheLeaseAndNeitherRenewsNorReleasesTheOthers()
    {
        await using RedisServer server = await RedisServer.StartAsync();
        using RedisConnection redis = await RedisConnection.ConnectAsync(server.ConnectionString);
        var a = new TrainerLease(redis, "silo-a", TimeSpan.FromSeconds(30));
        var b = new TrainerLease(redis, "silo-b", TimeSpan.FromSeconds(30));

        Assert.True(await a.TryAcquireAsync());
        Assert.False(await b.TryAcquireAsync());
        Assert.False(await b.RenewAsync());
        Assert.False(await b.ReleaseAsync());
        Assert.Equal("silo-a", await b.HolderNowAsync());
        Assert.True(await a.RenewAsync());
        Assert.True(await a.TryAcquireAsync()); // its own lease: renewed, not refused

        Assert.True(await a.ReleaseAsync());
        Assert.Null(await a.HolderNowAsync());
        Assert.True(await b.TryAcquireAsync());
        Assert.Equal("silo-b", await a.HolderNowAsync());
        Assert.False(await a.RenewAsync());
    }

    [Fact]
    public async Task AnExpiredLeaseGoesToTheNextSiloAndItsFormerHolderCannotRenewIt()
    {
        await using RedisServer server = await RedisServer.StartAsync();
        using RedisConnection redis = await RedisConnection.ConnectAsync(server.ConnectionString);
        var a = new TrainerLease(redis, "silo-a", TimeSpan.FromMilliseconds(300));
        var b = new TrainerLease(redis, "silo-b", TimeSpan.FromMilliseconds(300));
        Assert.True(await a.TryAcquireAsync());

        await Task.Delay(450);

        Assert.True(await b.TryAcquireAsync());
        Assert.False(await a.RenewAsync()); // compare-and-set: a never extends b's lease
        Assert.Equal("silo-b", await a.HolderNowAsync());
        TimeSpan? ttl = await redis.Database.KeyTimeToLiveAsync("grid:trainer:lease");
        Assert.InRange(ttl!.Value.TotalMilliseconds, 1, 300);
    }
}

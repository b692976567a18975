using Grid.Contracts.Api;
using Grid.Storage.Streams;
using Grid.TestSupport;

namespace Grid.Runtime.Tests.Streams;

[Collection(RedisCollection.Name)]
public sealed class DirectoryTests(RedisFixture redis) : IDisposable
{
    private readonly RedisConnection _connection = RedisConnection.Connect(redis.ConnectionString);
    private readonly string _tenant = TestStreams.NewTenant();

    public void Dispose() => _connection.Dispose();

    [Fact]
    public async Task StreamsAreListedPerTenantAndAcrossTenants()
    {
        var store = new StreamStore(_connection);
        string other = _tenant + "-b";
        await store.AppendAsync(_tenant, "front", TestStreams.Frame(0));
        await store.AppendAsync(_tenant, "back", TestStreams.Frame(0, width: 32, height: 32));
        await store.AppendAsync(_tenant, "back", TestStreams.Frame(4, length: 7, width: 32, height: 32));
        await store.AppendAsync(other, "front", TestStreams.Frame(0));

        IReadOnlyList<StreamInfo> mine = await store.ListAsync(_tenant);
        IReadOnlyList<StreamInfo> theirs = await store.ListAsync(other);
        IReadOnlyList<StreamInfo> all = await store.ListAsync();

        Assert.Equal(["back", "front"], mine.Select(s => s.Stream).Order());
        Assert.All(mine, s => Assert.Equal(_tenant, s.Tenant));
        StreamInfo back = mine.Single(s => s.Stream == "back");
        Assert.Equal((2L, 4L, 32, 32, 107L), (back.Frames, back.LastSequence, back.Width, back.Height, back.StoredBytes));
        Assert.Equal(back, await store.GetInfoAsync(_tenant, "back"));
        Assert.Equal([(other, "front")], theirs.Select(s => (s.Tenant, s.Stream)));
        Assert.Superset(new HashSet<(string, string)> { (_tenant, "front"), (_tenant, "back"), (other, "front") },
            all.Select(s => (s.Tenant, s.Stream)).ToHashSet());
        Assert.Empty(await store.ListAsync(TestStreams.NewTenant()));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ListAsync("no/slash"));
    }

    [Fact]
    public async Task ModelVersionUsageCountsStoredFramesPerVersionAcrossStreams()
    {
        var store = new StreamStore(_connection);
        // Versions no other test uses: the server is shared, and usage spans every stream on it.
        uint v1 = (uint)Random.Shared.Next(1_000_000, 2_000_000_000), v2 = v1 + 1, unused = v1 + 2;
        await store.AppendBatchAsync(_tenant, "a", [TestStreams.Frame(0, v1), TestStreams.Frame(1, v1), TestStreams.Frame(2, v2), TestStreams.Frame(3, v1)]);
        await store.AppendBatchAsync(_tenant + "-x", "b", [TestStreams.Frame(5, v2), TestStreams.Frame(6, v2)]);
        await store.AppendAsync(_tenant + "-x", "b", TestStreams.Frame(6, unused)); // duplicate: not counted
        await store.AppendAsync(_tenant + "-x", "b", TestStreams.Frame(1, unused)); // out of order: not counted

        IReadOnlyDictionary<uint, long> usage = await store.ModelVersionUsageAsync();

        Assert.Equal(3, usage[v1]);
        Assert.Equal(3, usage[v2]);
        Assert.False(usage.ContainsKey(unused));
    }
}

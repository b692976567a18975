using Grid.Contracts.Api;
using Grid.Storage.Streams;
using Grid.TestSupport;

namespace Grid.Runtime.Tests.Streams;

[Collection(RedisCollection.Name)]
public sealed class BatchAppendTests(RedisFixture redis) : IDisposable
{
    private readonly RedisConnection _connection = RedisConnection.Connect(redis.ConnectionString);
    private readonly string _tenant = TestStreams.NewTenant();

    public void Dispose() => _connection.Dispose();

    [Fact]
    public async Task EachFrameOfABatchFollowsTheSingleAppendRulesInOrder()
    {
        var store = new StreamStore(_connection);
        await store.AppendBatchAsync(_tenant, "batch", [TestStreams.Frame(0, version: 3, length: 30), TestStreams.Frame(1), TestStreams.Frame(2)]);

        IReadOnlyList<AppendOutcome> outcomes = await store.AppendBatchAsync(_tenant, "batch",
        [
            TestStreams.Frame(3),
            TestStreams.Frame(0, version: 8, length: 5, content: 77),
            TestStreams.Frame(4),
            TestStreams.Frame(4),
            TestStreams.Frame(9),
            TestStreams.Frame(7),
            TestStreams.Frame(10, width: 1),
            TestStreams.Frame(null),
        ]);

        Assert.Equal(
        [
            (AppendStatus.Stored, 3L),
            (AppendStatus.Duplicate, 0L),
            (AppendStatus.Stored, 4L),
            (AppendStatus.Duplicate, 4L),
            (AppendStatus.Stored, 9L),
            (AppendStatus.OutOfOrder, 7L),
            (AppendStatus.DimensionMismatch, 10L),
            (AppendStatus.Stored, 10L),
        ], outcomes.Select(o => (o.Status, o.Sequence)).ToArray());
        Assert.Equal((3u, 30), (outcomes[1].ModelVersion, outcomes[1].Bytes));
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 9, 10 }, (await store.ReplayAsync(_tenant, "batch", null, null).ToListAsync()).Sequences());
        Assert.Equal(7, (await store.GetInfoAsync(_tenant, "batch"))!.Frames);
    }

    [Fact]
    public async Task ABatchCreatesAStreamAndAssignsSequenceNumbers()
    {
        var store = new StreamStore(_connection);

        IReadOnlyList<AppendOutcome> outcomes = await store.AppendBatchAsync(_tenant, "new", [TestStreams.Frame(null), TestStreams.Frame(null), TestStreams.Frame(null)]);

        Assert.Equal(new long[] { 0, 1, 2 }, outcomes.Select(o => o.Sequence).ToArray());
        Assert.All(outcomes, o => Assert.Equal(AppendStatus.Stored, o.Status));
        Assert.Empty(await store.AppendBatchAsync(_tenant, "new", []));
    }

    [Fact]
    public async Task BatchesLargerThanOneScriptCallAreSplitAndAllStored()
    {
        var store = new StreamStore(_connection);
        int count = (StreamStore.MaxFramesPerScript * 2) + 3;

        IReadOnlyList<AppendOutcome> outcomes = await store.AppendBatchAsync(_tenant, "big",
            [.. Enumerable.Range(0, count).Select(i => TestStreams.Frame(null, length: 16, content: i))]);

        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), outcomes.Select(o => o.Sequence));
        List<StreamRecord> records = await store.ReplayAsync(_tenant, "big", null, null).ToListAsync();
        Assert.Equal(count, records.Count);
        Assert.Equal(TestStreams.FrameBytes(count - 1, 16), records[^1].Payload);
    }
}

using System.Diagnostics;
using Grid.Contracts.Api;
using Grid.Storage.Streams;
using Grid.TestSupport;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Grid.Runtime.Tests.Streams;

[Collection(RedisCollection.Name)]
public sealed class SubscriptionTests(RedisFixture redis, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan s_never = TimeSpan.FromHours(1);
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);

    private readonly RedisConnection _connection = RedisConnection.Connect(redis.ConnectionString);
    private readonly string _tenant = TestStreams.NewTenant();

    public void Dispose() => _connection.Dispose();

    [Fact]
    public async Task SubscribersGetTheBacklogThenLiveFramesInOrderWithoutGapsOrRepeats()
    {
        // No polling: every live frame below must come through the pub/sub nudge.
        var store = new StreamStore(_connection) { PollInterval = s_never };
        using var deadline = new CancellationTokenSource(s_deadline);
        await store.AppendBatchAsync(_tenant, "live", [.. Enumerable.Range(0, 30).Select(i => TestStreams.Frame(i))]);
        const long Last = 229;

        Task<List<StreamRecord>> fromStart = CollectUntilAsync(store, "live", 0, Last, deadline.Token);
        Task<List<StreamRecord>> fromMiddle = CollectUntilAsync(store, "live", 12, Last, deadline.Token);
        await WaitUntilAsync(() => store.SubscribedChannels == 1, deadline.Token);
        for (long seq = 30; seq <= Last; seq++)
        {
            // Explicit sequence numbers with gaps where seq % 7 == 0: subscribers must not wait for the missing ones.
            if (seq % 7 != 0 || seq == Last)
            {
                await store.AppendAsync(_tenant, "live", TestStreams.Frame(seq));
            }
            if (seq % 20 == 0)
            {
                await Task.Delay(5, deadline.Token);
            }
        }

        long[] expected = [.. Enumerable.Range(0, (int)Last + 1).Select(i => (long)i).Where(s => s < 30 || s % 7 != 0 || s == Last)];
        List<StreamRecord> first = await fromStart;
        List<StreamRecord> second = await fromMiddle;
        Assert.Equal(expected, first.Sequences());
        Assert.Equal(expected.Where(s => s >= 12), second.Sequences());
        Assert.All(first, r => Assert.Equal(TestStreams.FrameBytes(r.Sequence), r.Payload));
        Assert.Equal(0, store.SubscribedChannels);
    }

    [Fact]
    public async Task SubscribersOfOneStreamShareOneRedisSubscription()
    {
        var store = new StreamStore(_connection) { PollInterval = s_never };
        using var deadline = new CancellationTokenSource(s_deadline);

        Task<List<StreamRecord>> a = CollectUntilAsync(store, "shared", 0, 9, deadline.Token);
        Task<List<StreamRecord>> b = CollectUntilAsync(store, "shared", 0, 9, deadline.Token);
        Task<List<StreamRecord>> other = CollectUntilAsync(store, "other", 0, 0, deadline.Token);
        await WaitUntilAsync(() => store.SubscribedChannels == 2, deadline.Token);
        long clients = await SubscriberClientsAsync($"grid:{{s:{_tenant}:shared}}:appended");
        for (long seq = 0; seq < 10; seq++)
        {
            await store.AppendAsync(_tenant, "shared", TestStreams.Frame(seq));
        }
        await store.AppendAsync(_tenant, "other", TestStreams.Frame(0));

        Assert.Equal(1, clients);
        Assert.Equal((await a).Sequences(), (await b).Sequences());
        Assert.Equal(10, (await a).Count);
        Assert.Single(await other);
        Assert.Equal(0, store.SubscribedChannels);
    }

    [Fact]
    public async Task CancellationEndsAWaitingSubscriptionPromptly()
    {
        var store = new StreamStore(_connection) { PollInterval = s_never };
        await store.AppendAsync(_tenant, "idle", TestStreams.Frame(0));
        using var cancel = new CancellationTokenSource();
        IAsyncEnumerator<StreamRecord> subscription = store.SubscribeAsync(_tenant, "idle", 0, cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.True(await subscription.MoveNextAsync());
        ValueTask<bool> waiting = subscription.MoveNextAsync();
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);

        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        clock.Stop();
        await subscription.DisposeAsync();

        output.WriteLine($"subscription ended {clock.Elapsed.TotalMilliseconds:0.0} ms after cancellation");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(0, store.SubscribedChannels);
    }

    [Fact]
    public async Task ThePollDeliversFramesWhoseNudgeWasLost()
    {
        var reader = new StreamStore(_connection) { PollInterval = TimeSpan.FromMilliseconds(300) };
        var silentWriter = new StreamStore(_connection) { PublishNudges = false };
        using var deadline = new CancellationTokenSource(s_deadline);

        Task<List<StreamRecord>> collected = CollectUntilAsync(reader, "quiet", 0, 7, deadline.Token);
        await WaitUntilAsync(() => reader.SubscribedChannels == 1, deadline.Token);
        for (long seq = 0; seq < 5; seq++)
        {
            await silentWriter.AppendAsync(_tenant, "quiet", TestStreams.Frame(seq));
        }
        await Task.Delay(400, deadline.Token);
        // Entries added behind the store's back (no script, no nudge) are found by the poll too.
        var keys = new StreamKeys(_tenant, "quiet");
        foreach (long seq in new long[] { 5, 7 })
        {
            await _connection.Database.StreamAddAsync(keys.Frames, [new("v", 1), new("t", 0), new("f", TestStreams.FrameBytes(seq))], messageId: $"{seq}-1");
        }

        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5, 7 }, (await collected).Sequences());
    }

    [Fact]
    public async Task ASubscriptionWaitsForAStreamThatDoesNotExistYet()
    {
        var store = new StreamStore(_connection) { PollInterval = s_never };
        using var deadline = new CancellationTokenSource(s_deadline);

        Task<List<StreamRecord>> collected = CollectUntilAsync(store, "later", 3, 4, deadline.Token);
        await WaitUntilAsync(() => store.SubscribedChannels == 1, deadline.Token);
        await store.AppendBatchAsync(_tenant, "later", [.. Enumerable.Range(0, 5).Select(i => TestStreams.Frame(i))]);

        Assert.Equal(new long[] { 3, 4 }, (await collected).Sequences());
    }

    [Fact]
    public async Task SubscribersComingAndGoingConcurrentlyLeaveNoSubscriptionBehind()
    {
        var store = new StreamStore(_connection) { PollInterval = s_never };
        using var deadline = new CancellationTokenSource(s_deadline);
        await store.AppendBatchAsync(_tenant, "churn", [.. Enumerable.Range(0, 5).Select(i => TestStreams.Frame(i))]);

        // Even subscribers leave as soon as the backlog gave them one frame; odd ones stay for frame 5.
        Task<List<StreamRecord>>[] subscribers = [.. Enumerable.Range(0, 100).Select(i =>
            CollectUntilAsync(store, "churn", i % 5, i % 2 == 0 ? i % 5 : 5, deadline.Token))];
        await Task.WhenAll(subscribers.Where((_, i) => i % 2 == 0));
        await WaitUntilAsync(() => store.SubscribedChannels == 1, deadline.Token);
        await store.AppendAsync(_tenant, "churn", TestStreams.Frame(5));
        List<StreamRecord>[] results = await Task.WhenAll(subscribers);

        for (int i = 0; i < results.Length; i++)
        {
            long last = i % 2 == 0 ? i % 5 : 5;
            Assert.Equal(Enumerable.Range(i % 5, (int)last - (i % 5) + 1).Select(s => (long)s), results[i].Sequences());
        }
        Assert.Equal(0, store.SubscribedChannels);
        Assert.Equal(0, await SubscriberClientsAsync($"grid:{{s:{_tenant}:churn}}:appended"));
    }

    [Fact]
    public void BadArgumentsAreRejectedWhenSubscribing()
    {
        var store = new StreamStore(_connection);

        Assert.Throws<ArgumentException>(() => store.SubscribeAsync(_tenant, "a b", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.SubscribeAsync(_tenant, "ok", -1));
    }

    private Task<List<StreamRecord>> CollectUntilAsync(StreamStore store, string stream, long from, long last, CancellationToken cancellationToken) =>
        Task.Run(async () =>
        {
            var records = new List<StreamRecord>();
            await foreach (StreamRecord record in store.SubscribeAsync(_tenant, stream, from, cancellationToken))
            {
                records.Add(record);
                if (record.Sequence >= last)
                {
                    break;
                }
            }
            return records;
        }, cancellationToken);

    private async Task<long> SubscriberClientsAsync(string channel)
    {
        IServer server = _connection.Multiplexer.GetServers().Single();
        return await server.SubscriptionSubscriberCountAsync(RedisChannel.Literal(channel));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(10, cancellationToken);
        }
    }
}

using Grid.Contracts.Api;
using Grid.Storage.Streams;
using Grid.TestSupport;
using StackExchange.Redis;
using StreamInfo = Grid.Contracts.Api.StreamInfo;

namespace Grid.Runtime.Tests.Streams;

/// <summary>Runs a server of its own: append-only with <c>appendfsync always</c>, killed and restarted.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task EveryAcknowledgedFrameIsBackAfterTheServerIsKilledAndRestarted()
    {
        await using RedisServer server = await RedisServer.StartAsync(RedisServerOptions.WithAppendOnly(AppendFsync.Always));
        using RedisConnection connection = RedisConnection.Connect(server.ConnectionString);
        var store = new StreamStore(connection);
        var acknowledged = new List<(long Sequence, byte[] Bytes)>();
        for (long seq = 0; seq < 50; seq++)
        {
            FrameToAppend frame = TestStreams.Frame(seq, version: 2, length: 1000);
            Assert.Equal(AppendStatus.Stored, (await store.AppendAsync("durable", "cam", frame)).Status);
            acknowledged.Add((seq, frame.Frame.ToArray()));
        }
        FrameToAppend[] batch = [.. Enumerable.Range(50, 64).Select(i => TestStreams.Frame(i, version: 3, length: 1000))];
        Assert.All(await store.AppendBatchAsync("durable", "cam", batch), o => Assert.Equal(AppendStatus.Stored, o.Status));
        acknowledged.AddRange(batch.Select(f => (f.Sequence!.Value, f.Frame.ToArray())));

        // SIGKILL: no shutdown hook runs, so only what the AOF held when each append was answered comes back.
        await server.RestartAsync(graceful: false);
        await WaitForRedisAsync(connection);

        List<StreamRecord> replayed = await store.ReplayAsync("durable", "cam", null, null).ToListAsync();
        Assert.Equal(acknowledged.Select(a => a.Sequence), replayed.Sequences());
        Assert.Equal(acknowledged.Select(a => a.Bytes), replayed.Select(r => r.Payload));
        StreamInfo info = (await store.GetInfoAsync("durable", "cam"))!;
        Assert.Equal((114L, 113L, 114_000L), (info.Frames, info.LastSequence, info.StoredBytes));
        Assert.Equal([("durable", "cam")], (await store.ListAsync()).Select(s => (s.Tenant, s.Stream)));
        Assert.Equal(new Dictionary<uint, long> { [2] = 50, [3] = 64 }, await store.ModelVersionUsageAsync());

        // The restarted server's script cache is empty: the first append falls back from EVALSHA to EVAL.
        Assert.Equal(AppendStatus.Duplicate, (await store.AppendAsync("durable", "cam", TestStreams.Frame(7))).Status);
        AppendOutcome next = await store.AppendAsync("durable", "cam", TestStreams.Frame(null, length: 1000));
        Assert.Equal((AppendStatus.Stored, 114L), (next.Status, next.Sequence));
    }

    private static async Task WaitForRedisAsync(RedisConnection connection)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                await connection.PingAsync();
                return;
            }
            catch (RedisConnectionException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(100, deadline.Token);
            }
        }
    }
}

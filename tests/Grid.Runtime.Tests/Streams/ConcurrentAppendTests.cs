using System.Collections.Concurrent;
using Grid.Contracts.Api;
using Grid.Storage.Streams;
using Grid.TestSupport;

namespace Grid.Runtime.Tests.Streams;

[Collection(RedisCollection.Name)]
public sealed class ConcurrentAppendTests(RedisFixture redis) : IDisposable
{
    private readonly RedisConnection _connection = RedisConnection.Connect(redis.ConnectionString);
    private readonly string _tenant = TestStreams.NewTenant();

    public void Dispose() => _connection.Dispose();

    [Fact]
    public async Task RacingAppendersNeverStoreASequenceTwiceAndLoseNoAcknowledgedFrame()
    {
        const int Writers = 8;
        const int FramesPerWriter = 60;
        var store = new StreamStore(_connection);
        long explicitNext = -1;
        var attempts = new ConcurrentBag<(FrameToAppend Frame, AppendOutcome Outcome)>();

        // Even writers let the stream assign sequence numbers; odd writers claim them from a shared counter, so the
        // two kinds keep colliding: a claimed number may already be taken (duplicate) or passed (out of order).
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (int i = 0; i < FramesPerWriter; i++)
            {
                long? sequence = writer % 2 == 0 ? null : Interlocked.Increment(ref explicitNext);
                var frame = new FrameToAppend(sequence, (uint)(writer + 1), TestStreams.Width, TestStreams.Height,
                    TestStreams.FrameBytes((writer * 1000) + i, 40 + writer));
                attempts.Add((frame, await store.AppendAsync(_tenant, "race", frame)));
            }
        })));

        List<StreamRecord> records = await store.ReplayAsync(_tenant, "race", null, null).ToListAsync();
        var stored = attempts.Where(a => a.Outcome.Status == AppendStatus.Stored).ToList();
        Dictionary<long, StreamRecord> bySequence = records.ToDictionary(r => r.Sequence);

        Assert.Equal(Writers * FramesPerWriter, attempts.Count);
        Assert.Equal(stored.Count, stored.Select(a => a.Outcome.Sequence).Distinct().Count());
        Assert.Equal(stored.Count, records.Count);
        Assert.Equal(records.Sequences().Order(), records.Sequences());
        foreach ((FrameToAppend frame, AppendOutcome outcome) in stored)
        {
            StreamRecord record = bySequence[outcome.Sequence];
            Assert.Equal(frame.Frame.ToArray(), record.Payload);
            Assert.Equal(frame.ModelVersion, record.ModelVersion);
        }
        foreach ((_, AppendOutcome outcome) in attempts.Where(a => a.Outcome.Status == AppendStatus.Duplicate))
        {
            StreamRecord original = bySequence[outcome.Sequence];
            Assert.Equal((original.ModelVersion, original.Payload.Length), (outcome.ModelVersion, outcome.Bytes));
        }
        Assert.All(attempts.Where(a => a.Outcome.Status == AppendStatus.OutOfOrder), a => Assert.DoesNotContain(a.Outcome.Sequence, bySequence.Keys));
        Assert.All(attempts.Where(a => a.Frame.Sequence is null), a => Assert.Equal(AppendStatus.Stored, a.Outcome.Status));
        StreamInfo info = (await store.GetInfoAsync(_tenant, "race"))!;
        Assert.Equal((records.Count, records[^1].Sequence, records.Sum(r => (long)r.Payload.Length)), (info.Frames, info.LastSequence, info.StoredBytes));
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.Storage.Streams;
using Grid.TestSupport;
using StackExchange.Redis;
using StreamInfo = Grid.Contracts.Api.StreamInfo;

namespace Grid.Runtime.Tests.Streams;

[Collection(RedisCollection.Name)]
public sealed class AppendTests(RedisFixture redis) : IDisposable
{
    private readonly RedisConnection _connection = RedisConnection.Connect(redis.ConnectionString);
    private readonly string _tenant = TestStreams.NewTenant();

    public void Dispose() => _connection.Dispose();

    [Fact]
    public async Task AppendedFramesReplayInOrderWithTheirBytesAndVersions()
    {
        var store = new StreamStore(_connection);
        for (long seq = 0; seq < 10; seq++)
        {
            AppendOutcome outcome = await store.AppendAsync(_tenant, "cam", TestStreams.Frame(seq, version: (uint)(seq % 3 + 1), length: 50 + (int)seq));
            Assert.Equal(new AppendOutcome(AppendStatus.Stored, seq, (uint)(seq % 3 + 1), 50 + (int)seq, null), outcome);
        }

        List<StreamRecord> records = await store.ReplayAsync(_tenant, "cam", null, null).ToListAsync();

        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, records.Sequences());
        foreach (StreamRecord record in records)
        {
            Assert.Equal((uint)(record.Sequence % 3 + 1), record.ModelVersion);
            Assert.Equal(TestStreams.FrameBytes(record.Sequence, 50 + (int)record.Sequence), record.Payload);
        }
    }

    [Fact]
    public async Task StoredTimestampsAndMetadataComeFromTheTimeProvider()
    {
        var clock = new SteppingClock(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var store = new StreamStore(_connection, clock);

        await store.AppendAsync(_tenant, "cam", TestStreams.Frame(5, length: 10));
        clock.Now += TimeSpan.FromSeconds(3);
        await store.AppendAsync(_tenant, "cam", TestStreams.Frame(6, length: 20));

        StreamInfo? info = await store.GetInfoAsync(_tenant, "cam");
        Assert.Equal(new StreamInfo(_tenant, "cam", 2, 6, TestStreams.Width, TestStreams.Height, 30,
            DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_003_000)), info);
        StreamRecord? second = await store.GetAsync(_tenant, "cam", 6);
        Assert.Equal(1_700_000_003_000, second?.Timestamp);
    }

    [Fact]
    public async Task MissingSequenceNumbersAreAssignedFromZeroThenLastPlusOne()
    {
        var store = new StreamStore(_connection);

        AppendOutcome first = await store.AppendAsync(_tenant, "auto", TestStreams.Frame(null));
        AppendOutcome second = await store.AppendAsync(_tenant, "auto", TestStreams.Frame(null));
        AppendOutcome explicitTen = await store.AppendAsync(_tenant, "auto", TestStreams.Frame(10));
        AppendOutcome afterGap = await store.AppendAsync(_tenant, "auto", TestStreams.Frame(null));

        Assert.Equal((AppendStatus.Stored, 0L), (first.Status, first.Sequence));
        Assert.Equal((AppendStatus.Stored, 1L), (second.Status, second.Sequence));
        Assert.Equal((AppendStatus.Stored, 10L), (explicitTen.Status, explicitTen.Sequence));
        Assert.Equal((AppendStatus.Stored, 11L), (afterGap.Status, afterGap.Sequence));
        Assert.Equal(new long[] { 0, 1, 10, 11 }, (await store.ReplayAsync(_tenant, "auto", null, null).ToListAsync()).Sequences());
    }

    [Fact]
    public async Task RetryingAStoredSequenceIsADuplicateWithTheOriginalsVersionAndSize()
    {
        var store = new StreamStore(_connection);
        await store.AppendAsync(_tenant, "retry", TestStreams.Frame(0));
        AppendOutcome original = await store.AppendAsync(_tenant, "retry", TestStreams.Frame(1, version: 7, length: 300));
        await store.AppendAsync(_tenant, "retry", TestStreams.Frame(2));

        AppendOutcome retry = await store.AppendAsync(_tenant, "retry", TestStreams.Frame(1, version: 7, length: 300));
        AppendOutcome retryOtherBytes = await store.AppendAsync(_tenant, "retry", TestStreams.Frame(1, version: 9, length: 10, content: 99));

        Assert.Equal(new AppendOutcome(AppendStatus.Stored, 1, 7, 300, null), original);
        Assert.Equal(new AppendOutcome(AppendStatus.Duplicate, 1, 7, 300, null), retry);
        Assert.Equal(new AppendOutcome(AppendStatus.Duplicate, 1, 7, 300, null), retryOtherBytes);
        Assert.True(retry.Accepted);
        Assert.Null(retry.ErrorCode);
        StreamInfo info = (await store.GetInfoAsync(_tenant, "retry"))!;
        Assert.Equal((3L, 2L, 100L + 300 + 100), (info.Frames, info.LastSequence, info.StoredBytes));
        List<StreamRecord> records = await store.ReplayAsync(_tenant, "retry", null, null).ToListAsync();
        Assert.Equal(new long[] { 0, 1, 2 }, records.Sequences());
        Assert.Equal(TestStreams.FrameBytes(1, 300), records[1].Payload);
    }

    [Fact]
    public async Task ASequenceBelowTheLastThatWasNeverStoredIsOutOfOrder()
    {
        var store = new StreamStore(_connection);
        await store.AppendAsync(_tenant, "order", TestStreams.Frame(0));
        await store.AppendAsync(_tenant, "order", TestStreams.Frame(5));

        AppendOutcome late = await store.AppendAsync(_tenant, "order", TestStreams.Frame(3, version: 4, length: 33));

        Assert.Equal(AppendStatus.OutOfOrder, late.Status);
        Assert.Equal((3L, 4u, 33), (late.Sequence, late.ModelVersion, late.Bytes));
        Assert.Equal(ErrorCodes.SequenceOutOfOrder, late.ErrorCode);
        Assert.Contains("last sequence 5", late.Message, StringComparison.Ordinal);
        Assert.Null(await store.GetAsync(_tenant, "order", 3));
        Assert.Equal(2, (await store.GetInfoAsync(_tenant, "order"))!.Frames);
    }

    [Fact]
    public async Task GapsAreAllowedAndReplayRangesSpanThem()
    {
        var store = new StreamStore(_connection);
        foreach (long seq in new long[] { 0, 1, 2, 5, 6, 9, 20 })
        {
            Assert.Equal(AppendStatus.Stored, (await store.AppendAsync(_tenant, "gaps", TestStreams.Frame(seq))).Status);
        }

        Assert.Equal(new long[] { 5, 6, 9, 20 }, (await store.ReplayAsync(_tenant, "gaps", 3, null).ToListAsync()).Sequences());
        Assert.Equal(new long[] { 0, 1, 2, 5, 6 }, (await store.ReplayAsync(_tenant, "gaps", null, 8).ToListAsync()).Sequences());
        Assert.Equal(new long[] { 2, 5, 6, 9 }, (await store.ReplayAsync(_tenant, "gaps", 2, 9).ToListAsync()).Sequences());
        Assert.Equal(new long[] { 9 }, (await store.ReplayAsync(_tenant, "gaps", 9, 9).ToListAsync()).Sequences());
        Assert.Empty(await store.ReplayAsync(_tenant, "gaps", 10, 19).ToListAsync());
        Assert.Empty(await store.ReplayAsync(_tenant, "gaps", 21, null).ToListAsync());
        Assert.Empty(await store.ReplayAsync(_tenant, "gaps", 9, 5).ToListAsync());
        Assert.Null(await store.GetAsync(_tenant, "gaps", 3));
        Assert.Equal(9, (await store.GetAsync(_tenant, "gaps", 9))?.Sequence);
        Assert.Equal(AppendStatus.OutOfOrder, (await store.AppendAsync(_tenant, "gaps", TestStreams.Frame(3))).Status);
    }

    [Fact]
    public async Task AnUnknownStreamReplaysNothingAndHasNoInfo()
    {
        var store = new StreamStore(_connection);

        Assert.Empty(await store.ReplayAsync(_tenant, "nothing", null, null).ToListAsync());
        Assert.Empty(await store.ReplayAsync(_tenant, "nothing", 3, 7).ToListAsync());
        Assert.Null(await store.GetAsync(_tenant, "nothing", 0));
        Assert.Null(await store.GetInfoAsync(_tenant, "nothing"));
    }

    [Fact]
    public async Task ReplayPagesThroughLongStreams()
    {
        var store = new StreamStore(_connection);
        int count = (StreamStore.PageSize * 3) + 17;
        var frames = Enumerable.Range(0, count).Select(i => TestStreams.Frame(i * 2L, length: 8)).ToList();
        await store.AppendBatchAsync(_tenant, "long", frames);

        List<StreamRecord> all = await store.ReplayAsync(_tenant, "long", null, null).ToListAsync();
        List<StreamRecord> tail = await store.ReplayAsync(_tenant, "long", 2L * StreamStore.PageSize, null).ToListAsync();

        Assert.Equal(Enumerable.Range(0, count).Select(i => i * 2L), all.Sequences());
        Assert.Equal(Enumerable.Range(StreamStore.PageSize, count - StreamStore.PageSize).Select(i => i * 2L), tail.Sequences());
    }

    [Fact]
    public async Task FramesOfAnotherSizeThanTheStreamsAreRejected()
    {
        var store = new StreamStore(_connection);
        await store.AppendAsync(_tenant, "dims", TestStreams.Frame(0, width: 128, height: 96));

        AppendOutcome wider = await store.AppendAsync(_tenant, "dims", TestStreams.Frame(1, width: 160, height: 96));
        AppendOutcome stored = await store.AppendAsync(_tenant, "dims", TestStreams.Frame(1, width: 128, height: 96));

        Assert.Equal(AppendStatus.DimensionMismatch, wider.Status);
        Assert.Equal(ErrorCodes.DimensionMismatch, wider.ErrorCode);
        Assert.Equal($"frame 1 is 160x96 but stream {_tenant}/dims was created 128x96", wider.Message);
        Assert.Equal(AppendStatus.Stored, stored.Status);
        StreamInfo info = (await store.GetInfoAsync(_tenant, "dims"))!;
        Assert.Equal((128, 96, 2L), (info.Width, info.Height, info.Frames));
    }

    [Fact]
    public async Task TheLargestSequenceIsStoredExactlyAndNothingIsAssignedAfterIt()
    {
        var store = new StreamStore(_connection);
        await store.AppendAsync(_tenant, "max", TestStreams.Frame(StreamSequences.Max - 1));

        AppendOutcome top = await store.AppendAsync(_tenant, "max", TestStreams.Frame(null));
        AppendOutcome beyond = await store.AppendAsync(_tenant, "max", TestStreams.Frame(null));
        AppendOutcome retry = await store.AppendAsync(_tenant, "max", TestStreams.Frame(StreamSequences.Max - 1));

        Assert.Equal((AppendStatus.Stored, StreamSequences.Max), (top.Status, top.Sequence));
        Assert.Equal(AppendStatus.Exhausted, beyond.Status);
        Assert.Equal(ErrorCodes.SequenceExhausted, beyond.ErrorCode);
        Assert.Contains("no number is left to assign", beyond.Message, StringComparison.Ordinal);
        Assert.Equal(AppendStatus.Duplicate, retry.Status);
        Assert.Equal(new long[] { StreamSequences.Max - 1, StreamSequences.Max }, (await store.ReplayAsync(_tenant, "max", null, null).ToListAsync()).Sequences());
        Assert.Equal(StreamSequences.Max, (await store.GetInfoAsync(_tenant, "max"))!.LastSequence);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.AppendAsync(_tenant, "max", TestStreams.Frame(StreamSequences.Max + 1)));
    }

    [Fact]
    public async Task DeletingAStreamRemovesItsFramesListingAndModelUsageAndItsNameStartsAgainAtZero()
    {
        var store = new StreamStore(_connection);
        await store.AppendAsync(_tenant, "doomed", TestStreams.Frame(5));
        await store.AppendAsync(_tenant, "doomed", TestStreams.Frame(6));
        IReadOnlyDictionary<uint, long> before = await store.ModelVersionUsageAsync();

        Assert.True(await store.DeleteAsync(_tenant, "doomed"));
        Assert.False(await store.DeleteAsync(_tenant, "doomed"));

        Assert.Null(await store.GetInfoAsync(_tenant, "doomed"));
        Assert.Empty(await store.ReplayAsync(_tenant, "doomed", null, null).ToListAsync());
        Assert.DoesNotContain(await store.ListAsync(_tenant), s => s.Stream == "doomed");
        IReadOnlyDictionary<uint, long> after = await store.ModelVersionUsageAsync();
        uint version = TestStreams.Frame(0).ModelVersion;
        Assert.Equal(2, before.GetValueOrDefault(version) - after.GetValueOrDefault(version));
        Assert.Equal(0, (await store.AppendAsync(_tenant, "doomed", TestStreams.Frame(null))).Sequence);
        Assert.Contains(await store.ListAsync(_tenant), s => s.Stream == "doomed");
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a:b")]
    [InlineData("a}b")]
    public async Task BadNamesAreRejectedWithTheirProblem(string name)
    {
        var store = new StreamStore(_connection);

        ArgumentException tenant = await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync(name, "cam", TestStreams.Frame(0)));
        ArgumentException stream = Assert.Throws<ArgumentException>(() => store.ReplayAsync(_tenant, name, null, null));

        Assert.StartsWith(StreamNames.Problem(name, "tenant")!, tenant.Message, StringComparison.Ordinal);
        Assert.StartsWith(StreamNames.Problem(name, "stream")!, stream.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadFramesAreRejectedBeforeAnythingIsSent()
    {
        var store = new StreamStore(_connection);
        FrameToAppend good = TestStreams.Frame(0);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.AppendAsync(_tenant, "bad", TestStreams.Frame(-1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.AppendAsync(_tenant, "bad", TestStreams.Frame(0, width: 0)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.AppendAsync(_tenant, "bad", TestStreams.Frame(0, height: 65536)));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync(_tenant, "bad", good with { Frame = ReadOnlyMemory<byte>.Empty }));
        ArgumentException inBatch = await Assert.ThrowsAnyAsync<ArgumentException>(
            () => store.AppendBatchAsync(_tenant, "bad", [good, TestStreams.Frame(1), TestStreams.Frame(-5)]));

        Assert.Contains("frames[2]", inBatch.Message, StringComparison.Ordinal);
        Assert.Null(await store.GetInfoAsync(_tenant, "bad"));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.ReplayAsync(_tenant, "bad", -1, null));
    }

    [Fact]
    public async Task FramesFromASliceOfALargerBufferAreStoredAsTheSlice()
    {
        var store = new StreamStore(_connection);
        byte[] buffer = TestStreams.FrameBytes(42, 64);

        await store.AppendAsync(_tenant, "slice", new FrameToAppend(0, 1, 8, 8, buffer.AsMemory(10, 20)));

        Assert.Equal(buffer[10..30], (await store.GetAsync(_tenant, "slice", 0))!.Payload);
    }

    [Fact]
    public async Task AppendsStillWorkAfterTheServerForgetsTheScript()
    {
        var store = new StreamStore(_connection);
        await store.AppendAsync(_tenant, "flush", TestStreams.Frame(0));

        using ConnectionMultiplexer admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        IServer server = admin.GetServers().Single();
        await server.ScriptFlushAsync();
        string before = (await server.InfoRawAsync("commandstats"))!;
        AppendOutcome afterFlush = await store.AppendAsync(_tenant, "flush", TestStreams.Frame(1));
        AppendOutcome afterReload = await store.AppendAsync(_tenant, "flush", TestStreams.Frame(2));
        string after = (await server.InfoRawAsync("commandstats"))!;

        Assert.Equal((AppendStatus.Stored, AppendStatus.Stored), (afterFlush.Status, afterReload.Status));
        Assert.Equal(FailedEvalShaCalls(before) + 1, FailedEvalShaCalls(after)); // the NOSCRIPT answer, then EVAL
        Assert.Equal(new long[] { 0, 1, 2 }, (await store.ReplayAsync(_tenant, "flush", null, null).ToListAsync()).Sequences());
    }

    [Fact]
    public async Task RedisErrorsSurfaceWithTheirMessage()
    {
        var store = new StreamStore(_connection);
        await _connection.Database.StringSetAsync(new StreamKeys(_tenant, "clash").Frames, "not a stream");

        RedisServerException error = await Assert.ThrowsAsync<RedisServerException>(() => store.AppendAsync(_tenant, "clash", TestStreams.Frame(0)));

        Assert.Contains("WRONGTYPE", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.GetInfoAsync(_tenant, "clash"));
    }

    private static long FailedEvalShaCalls(string commandStats)
    {
        Match match = Regex.Match(commandStats, @"cmdstat_evalsha:.*failed_calls=(\d+)");
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

using Grid.Grains.Abstractions;
using Grid.Contracts.Api;
using Grid.Training;
using Orleans.Concurrency;

namespace Grid.Runtime.Tests.Grains;

/// <summary>Stream grains in a two-silo Orleans test cluster on a real redis-server.</summary>
public sealed class StreamGrainTests
{
    private static readonly TrainerOptions s_trainer = new() { TickSeconds = 60, RefreshMinutes = 0 };

    private static Immutable<StreamFrame> Frame(long? sequence, byte fill) =>
        new StreamFrame(sequence, 1, 16, 16, Enumerable.Repeat(fill, 64).ToArray()).AsImmutable();

    [Fact]
    public async Task AppendsAreOrderedAndIdempotentFromEverySilo()
    {
        await using GrainCluster cluster = await GrainCluster.StartAsync(s_trainer);
        IStreamGrain grain = cluster.Grains.GetGrain<IStreamGrain>(StreamGrainKey.Of("t", "cam").ToString());

        StreamAppendReply first = await grain.AppendAsync(Frame(0, 1));
        StreamAppendReply second = await grain.AppendAsync(Frame(1, 2));
        StreamAppendReply retry = await grain.AppendAsync(Frame(1, 9)); // a retry: the stored frame wins
        StreamAppendReply late = await grain.AppendAsync(Frame(0, 3)); // stored already: a duplicate, not a second copy
        StreamAppendReply next = await grain.AppendAsync(Frame(null, 4)); // the stream numbers it
        StreamAppendReply gap = await grain.AppendAsync(Frame(10, 5));
        StreamAppendReply behind = await grain.AppendAsync(Frame(5, 6)); // below the last and never stored

        Assert.Equal((StreamAppendReply.Stored, 0L), (first.Status, first.Sequence));
        Assert.Equal((StreamAppendReply.Stored, 1L), (second.Status, second.Sequence));
        Assert.Equal((StreamAppendReply.Duplicate, 1L), (retry.Status, retry.Sequence));
        Assert.Equal(StreamAppendReply.Duplicate, late.Status);
        Assert.Equal((StreamAppendReply.Stored, 2L), (next.Status, next.Sequence));
        Assert.Equal((StreamAppendReply.Stored, 10L), (gap.Status, gap.Sequence));
        Assert.Equal(StreamAppendReply.Rejected, behind.Status);
        Assert.Equal(Contracts.ErrorCodes.SequenceOutOfOrder, behind.ErrorCode);
        var stored = new List<StreamRecord>();
        await foreach (StreamRecord record in cluster.Streams.ReplayAsync("t", "cam", null, null))
        {
            stored.Add(record);
        }
        Assert.Equal([0L, 1L, 2L, 10L], stored.Select(r => r.Sequence));
        Assert.Equal([1, 2, 4, 5], stored.Select(r => (int)r.Payload[0]));
    }

    [Fact]
    public async Task WhenTheSiloHostingAStreamStopsTheNextAppendContinuesOnTheOther()
    {
        await using GrainCluster cluster = await GrainCluster.StartAsync(s_trainer);
        string key = StreamGrainKey.Of("t", "moving").ToString();
        IStreamGrain grain = cluster.Grains.GetGrain<IStreamGrain>(key);
        for (long i = 0; i < 5; i++)
        {
            Assert.Equal(StreamAppendReply.Stored, (await grain.AppendAsync(Frame(i, (byte)i))).Status);
        }
        IManagementGrain management = cluster.Grains.GetGrain<IManagementGrain>(0);
        SiloAddress host = (await management.GetActivationAddress(grain))!;

        await cluster.Cluster.StopSiloAsync(cluster.Cluster.Silos.Single(s => s.SiloAddress.Equals(host)));
        StreamAppendReply after = await grain.AppendAsync(Frame(5, 5));
        StreamAppendReply retried = await grain.AppendAsync(Frame(4, 4));

        Assert.Equal((StreamAppendReply.Stored, 5L), (after.Status, after.Sequence));
        Assert.Equal(StreamAppendReply.Duplicate, retried.Status);
        Assert.NotEqual(host, await management.GetActivationAddress(grain));
        Assert.Equal(5, (await cluster.Streams.GetInfoAsync("t", "moving"))!.LastSequence);
    }

    [Fact]
    public async Task DeletingAStreamRemovesItsFrames()
    {
        await using GrainCluster cluster = await GrainCluster.StartAsync(s_trainer);
        IStreamGrain grain = cluster.Grains.GetGrain<IStreamGrain>(StreamGrainKey.Of("t", "gone").ToString());
        await grain.AppendAsync(Frame(0, 1));

        Assert.True(await grain.DeleteAsync());
        Assert.False(await grain.DeleteAsync());
        Assert.Null(await cluster.Streams.GetInfoAsync("t", "gone"));
    }
}

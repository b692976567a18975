using Grid.Grains.Abstractions;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.Grains.Streams;
using Grid.Training;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace Grid.Runtime.Tests.Grains;

/// <summary>Stream grains in a two-silo Orleans test cluster on a real redis-server.</summary>
public sealed class StreamGrainTests
{
    private static readonly TrainerOptions s_trainer = new() { TickSeconds = 60, RefreshMinutes = 0 };

    /// <summary>A real VQF frame of a 16x16 image (4x4 indices) whose indices are all <paramref name="fill"/>.</summary>
    private static Immutable<StreamFrame> Frame(long? sequence, byte fill) =>
        new StreamFrame(sequence, 1, 16, 16, VqfWriter.Write(new FrameInfo(1, 0x1234, 16, 16), Enumerable.Repeat((ushort)fill, 16).ToArray())).AsImmutable();

    /// <summary>The stream's frames as readers get them (self-contained VQF v1, decoded from the stored coding): each frame's first index.</summary>
    private static async Task<List<(long Sequence, int Fill)>> ReplayAsync(GrainCluster cluster, string stream)
    {
        // Any silo still running (a test may have stopped one).
        StoredFrameChain chain = cluster.Cluster.Silos.First(s => s.IsActive).ServiceProvider.GetRequiredService<StoredFrames>().OpenChain("t", stream);
        var frames = new List<(long, int)>();
        await foreach (StreamRecord record in cluster.Streams.ReplayAsync("t", stream, null, null))
        {
            StreamRecord readable = await chain.ToSelfContainedAsync(record);
            frames.Add((readable.Sequence, VqfReader.ReadIndices(readable.Payload, out _)[0]));
        }
        return frames;
    }

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
        Assert.Equal([(0L, 1), (1L, 2), (2L, 4), (10L, 5)], await ReplayAsync(cluster, "cam"));
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
        // The new activation coded frame 5 against frame 4 as stored, read back from Redis.
        Assert.Equal([.. Enumerable.Range(0, 6).Select(i => ((long)i, i))], await ReplayAsync(cluster, "moving"));
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

    [Fact]
    public async Task AFrameThatDoesNotParseIsRefusedWithItsFrameErrorAcrossSilos()
    {
        await using GrainCluster cluster = await GrainCluster.StartAsync(s_trainer);
        IStreamGrain grain = cluster.Grains.GetGrain<IStreamGrain>(StreamGrainKey.Of("t", "bad").ToString());
        await grain.AppendAsync(Frame(0, 1));
        byte[] broken = Frame(1, 2).Value.Frame;
        broken[^1] ^= 0xFF; // the checksum no longer matches

        StreamAppendReply reply = await grain.AppendAsync(new StreamFrame(1, 1, 16, 16, broken).AsImmutable());

        Assert.Equal(StreamAppendReply.Rejected, reply.Status);
        Assert.Equal(Contracts.ErrorCodes.FrameChecksum, reply.ErrorCode);
        Assert.Equal([(0L, 1)], await ReplayAsync(cluster, "bad"));
    }
}

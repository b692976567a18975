using Grid.Contracts.Api;
using Grid.TestServer;

namespace Grid.Client.Tests;

public sealed class StreamQueryTests
{
    [Fact]
    public async Task AppendsAreListedPerTenantWithTheirMetadata()
    {
        (ScriptedServer server, FakeSilo silo) = await FakeSilo.StartAsync();
        await using ScriptedServer _ = server;
        using GridClient siteA = TestClients.For(server, options => options.Tenant = "site-a");
        using GridClient siteB = TestClients.For(server, options => options.Tenant = "site-b");

        AppendResult first = await siteA.AppendAsync("cam-1", TestImages.FakePng(64, 48), sequence: 0);
        AppendResult second = await siteA.AppendAsync("cam-1", TestImages.FakePng(64, 48));
        AppendResult again = await siteA.AppendAsync("cam-1", TestImages.FakePng(64, 48), sequence: 0);
        await siteB.AppendAsync("cam-2", TestImages.FakePng(32, 32));

        Assert.Equal((0L, false), (first.Sequence, first.Duplicate));
        Assert.Equal((1L, false), (second.Sequence, second.Duplicate));
        Assert.Equal((0L, true), (again.Sequence, again.Duplicate));
        StreamInfo listed = Assert.Single(await siteA.ListStreamsAsync());
        Assert.Equal(("site-a", "cam-1", 2L, 1L, 64, 48), (listed.Tenant, listed.Stream, listed.Frames, listed.LastSequence, listed.Width, listed.Height));
        Assert.Equal(first.Bytes + second.Bytes, listed.StoredBytes);
        Assert.Equal(listed, await siteA.GetStreamAsync("cam-1"));
        Assert.Null(await siteB.GetStreamAsync("cam-1"));
        Assert.Equal("cam-2", Assert.Single(await siteB.ListStreamsAsync()).Stream);
        Assert.Equal(["stored", "stored", "duplicate", "stored"], silo.Appends.Select(a => a.Outcome));
    }

    [Fact]
    public async Task FrameIsReadBySequenceWithItsHeaders()
    {
        (ScriptedServer server, FakeSilo _) = await FakeSilo.StartAsync();
        await using ScriptedServer __ = server;
        using GridClient client = TestClients.For(server);
        byte[] image = TestImages.FakePng(16, 16, fill: 7);
        await client.AppendAsync("cam", image, sequence: 4);

        StoredFrame? frame = await client.GetFrameAsync("cam", 4);

        Assert.NotNull(frame);
        Assert.Equal(4, frame.Sequence);
        Assert.Equal(3u, frame.ModelVersion);
        Assert.Equal(image, frame.Payload);
        Assert.Null(await client.GetFrameAsync("cam", 5));
    }

    [Fact]
    public async Task StatusAndModelsParse()
    {
        (ScriptedServer server, FakeSilo _) = await FakeSilo.StartAsync();
        await using ScriptedServer __ = server;
        using GridClient client = TestClients.For(server);

        ClusterStatus status = await client.GetStatusAsync();
        IReadOnlyList<ModelInfo> models = await client.ListModelsAsync();

        SiloInfo silo = Assert.Single(status.Silos);
        Assert.Equal(("fake-1", "active", 2, 64, 17, 1250L), (silo.Name, silo.Status, silo.QueueDepth, silo.QueueCapacity, silo.Activations, silo.CompletedRequests));
        Assert.Equal(3u, status.CurrentModel);
        Assert.True(Assert.Single(models).Current);
    }
}

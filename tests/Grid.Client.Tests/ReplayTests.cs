using System.Globalization;
using System.Net;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.TestServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Grid.Client.Tests;

public sealed class ReplayTests
{
    private const string ReplayPath = "/v1/streams/cam/frames";

    [Fact]
    public async Task ReplayDeliversRecordsWhileTheBodyIsStillBeingWritten()
    {
        const int Count = 10_000;
        const int PayloadBytes = 10_000; // 100 MB of payload in all
        var firstDelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool serverWaitedForClient = false;
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapGet(ReplayPath, async (HttpContext context) =>
        {
            context.Response.ContentType = GridMediaTypes.Records;
            await RecordFormat.WriteMagicAsync(context.Response.Body);
            for (int i = 0; i < Count; i++)
            {
                await RecordFormat.WriteAsync(context.Response.Body, TestRecords.Make(i, PayloadBytes));
                if (i == 9)
                {
                    // Nothing more is written until the client has seen a record: a buffering client would wait forever.
                    await context.Response.Body.FlushAsync();
                    await firstDelivered.Task.WaitAsync(TimeSpan.FromSeconds(20));
                    serverWaitedForClient = true;
                }
            }
        }));
        using GridClient client = TestClients.For(server);

        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        long expected = 0;
        await foreach (StreamRecord record in client.ReplayAsync("cam"))
        {
            Assert.Equal(expected++, record.Sequence);
            Assert.True(TestRecords.IsIntact(record, PayloadBytes));
            firstDelivered.TrySetResult();
            if (record.Sequence % 2000 == 1000)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }

        Assert.Equal(Count, expected);
        Assert.True(serverWaitedForClient);
        // The body is 100 MB; what stays alive while reading it is a record or two and the socket buffers.
        Assert.True(peak < 40_000_000, $"live heap grew by {peak:N0} bytes during the replay");
    }

    [Fact]
    public async Task ReplayResumesAfterTheLastRecordWhenTheConnectionBreaks()
    {
        int calls = 0;
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapGet(ReplayPath, async (HttpContext context) =>
        {
            bool first = Interlocked.Increment(ref calls) == 1;
            long from = long.Parse(context.Request.Query["from"].FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
            context.Response.ContentType = GridMediaTypes.Records;
            await RecordFormat.WriteMagicAsync(context.Response.Body);
            for (long sequence = from; sequence < 200; sequence++)
            {
                await RecordFormat.WriteAsync(context.Response.Body, TestRecords.Make(sequence));
                if (first && sequence == 99)
                {
                    await context.Response.Body.FlushAsync();
                    await Task.Delay(100);
                    context.Abort(); // the silo died mid-body
                    return;
                }
            }
        }));
        using GridClient client = TestClients.For(server);

        List<StreamRecord> records = [];
        await foreach (StreamRecord record in client.ReplayAsync("cam", to: 199))
        {
            records.Add(record);
        }

        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), records.Select(r => r.Sequence));
        Assert.All(records, record => Assert.True(TestRecords.IsIntact(record)));
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("?format=vqf&to=199", server.Requests[0].Query);
        // Normally from=100; a reset connection may discard records the client had not read yet, and it resumes after
        // the last one it delivered instead (no "from" at all if that was none). Each record still arrives once.
        Assert.InRange(QueryNumber(server.Requests[1], "from"), -1, 100);
        Assert.EndsWith("&to=199", server.Requests[1].Query, StringComparison.Ordinal);
    }

    /// <summary>A numeric query parameter, or -1 when absent.</summary>
    internal static long QueryNumber(RecordedRequest request, string name) =>
        long.Parse(System.Web.HttpUtility.ParseQueryString(request.Query)[name] ?? "-1", CultureInfo.InvariantCulture);

    [Fact]
    public async Task ReplayAsksForTheRangeAndFormat()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapGet(ReplayPath, async (HttpContext context) =>
        {
            context.Response.ContentType = GridMediaTypes.Records;
            await RecordFormat.WriteMagicAsync(context.Response.Body);
        }));
        using GridClient client = TestClients.For(server);

        int count = 0;
        await foreach (StreamRecord _ in client.ReplayAsync("cam", from: 5, to: 9, format: PayloadFormat.Png))
        {
            count++;
        }

        Assert.Equal(0, count);
        Assert.Equal("?format=png&from=5&to=9", server.Requests.Single().Query);
    }

    [Fact]
    public async Task ReplayOfAMissingStreamThrowsStreamNotFound()
    {
        (ScriptedServer server, FakeSilo _) = await FakeSilo.StartAsync();
        await using ScriptedServer __ = server;
        using GridClient client = TestClients.For(server);

        GridApiException error = await Assert.ThrowsAsync<GridApiException>(async () =>
        {
            await foreach (StreamRecord _ in client.ReplayAsync("nothing-here"))
            {
            }
        });

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(ErrorCodes.StreamNotFound, error.Code);
    }

    [Fact]
    public async Task ABodyThatIsNotRecordsIsInvalidData()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapGet(ReplayPath, () => Results.Text("<html>proxy</html>", "text/html")));
        using GridClient client = TestClients.For(server);

        await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (StreamRecord _ in client.ReplayAsync("cam"))
            {
            }
        });
    }
}

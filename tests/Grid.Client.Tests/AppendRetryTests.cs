using System.Net;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.TestServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Grid.Client.Tests;

public sealed class AppendRetryTests
{
    private const string FramesPath = "/v1/streams/cam/frames";

    [Fact]
    public async Task AppendWithoutSequenceIsNotRetriedAfterATimeout()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapPost(FramesPath, async (HttpContext context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5), context.RequestAborted);
            return ApiResults.Json(new AppendResult(0, 1, 100, false), StatusCodes.Status201Created);
        }));
        using GridClient client = TestClients.For(server, options => options.Timeout = TimeSpan.FromMilliseconds(300));

        TimeoutException error = await Assert.ThrowsAsync<TimeoutException>(() => client.AppendAsync("cam", TestImages.FakePng(8, 8)));

        Assert.Contains("not retried", error.Message, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(1)); // room for a retry that must not come
        Assert.Equal(1, server.CountRequests(FramesPath));
    }

    [Fact]
    public async Task AppendWithSequenceIsRetriedAfterATimeoutAndReportsTheDuplicate()
    {
        int calls = 0;
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapPost(FramesPath, async (HttpContext context) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                // The silo stores the frame but answers too late: the client has given up on this attempt.
                await Task.Delay(TimeSpan.FromSeconds(1.5), CancellationToken.None);
                return ApiResults.Json(new AppendResult(5, 1, 100, false), StatusCodes.Status201Created);
            }
            context.Response.Headers[GridHeaders.Duplicate] = "true";
            return ApiResults.Json(new AppendResult(5, 1, 100, true));
        }));
        using GridClient client = TestClients.For(server, options => options.Timeout = TimeSpan.FromMilliseconds(300));

        AppendResult result = await client.AppendAsync("cam", TestImages.FakePng(8, 8), sequence: 5);

        Assert.True(result.Duplicate);
        Assert.Equal(5, result.Sequence);
        // Normally 2; a loaded machine may time out the second attempt too, and a third is just as safe.
        Assert.InRange(server.CountRequests(FramesPath), 2, 5);
        Assert.All(server.Requests, request => Assert.Equal("5", request.Header(GridHeaders.Sequence)));
    }

    [Fact]
    public async Task AppendWithoutSequenceIsRetriedWhenTheSiloRefusesIt()
    {
        int calls = 0;
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapPost(FramesPath, () => Interlocked.Increment(ref calls) switch
        {
            1 => ApiResults.Error(HttpStatusCode.TooManyRequests, ErrorCodes.QueueFull, "full", retryAfterSeconds: 0),
            2 => ApiResults.Error(HttpStatusCode.ServiceUnavailable, ErrorCodes.Unavailable, "loading", retryAfterSeconds: 0),
            _ => ApiResults.Json(new AppendResult(0, 1, 100, false), StatusCodes.Status201Created),
        }));
        using GridClient client = TestClients.For(server);

        AppendResult result = await client.AppendAsync("cam", TestImages.FakePng(8, 8));

        Assert.False(result.Duplicate);
        Assert.Equal(3, server.CountRequests(FramesPath));
    }

    [Fact]
    public async Task AppendWithoutSequenceIsNotRetriedAfterABadGateway()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapPost(FramesPath, () => Results.StatusCode(StatusCodes.Status502BadGateway)));
        using GridClient client = TestClients.For(server);

        GridApiException error = await Assert.ThrowsAsync<GridApiException>(() => client.AppendAsync("cam", TestImages.FakePng(8, 8)));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Equal(1, server.CountRequests(FramesPath));
    }

    [Fact]
    public async Task AppendWithSequenceIsRetriedAfterABadGateway()
    {
        int calls = 0;
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapPost(FramesPath, () => Interlocked.Increment(ref calls) == 1
            ? Results.StatusCode(StatusCodes.Status502BadGateway)
            : ApiResults.Json(new AppendResult(9, 1, 100, false), StatusCodes.Status201Created)));
        using GridClient client = TestClients.For(server);

        AppendResult result = await client.AppendAsync("cam", TestImages.FakePng(8, 8), sequence: 9);

        Assert.Equal(9, result.Sequence);
        Assert.Equal(2, server.CountRequests(FramesPath));
    }

    [Fact]
    public async Task AppendNamesItsBodyTypeAndSequence()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapPost(FramesPath, () =>
            ApiResults.Json(new AppendResult(0, 1, 100, false), StatusCodes.Status201Created)));
        using GridClient client = TestClients.For(server, options => options.Tenant = "site-7");
        byte[] frame = new byte[VqfFormat.HeaderLength];
        VqfFormat.Magic.CopyTo(frame);

        await client.AppendAsync("cam", TestImages.FakePng(8, 8), sequence: 42);
        await client.AppendAsync("cam", frame);

        RecordedRequest image = server.Requests[0];
        RecordedRequest vqf = server.Requests[1];
        Assert.Equal(GridMediaTypes.Png, image.Header("Content-Type"));
        Assert.Equal("42", image.Header(GridHeaders.Sequence));
        Assert.Equal("site-7", image.Header(GridHeaders.Tenant));
        Assert.StartsWith("grid-client/", image.Header("User-Agent"), StringComparison.Ordinal);
        Assert.Equal(GridMediaTypes.Frame, vqf.Header("Content-Type"));
        Assert.Null(vqf.Header(GridHeaders.Sequence));
    }

    [Fact]
    public async Task AppendRejectsBadArgumentsBeforeSending()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(_ => { });
        using GridClient client = TestClients.For(server);

        await Assert.ThrowsAsync<ArgumentException>(() => client.AppendAsync("bad/name", TestImages.FakePng(8, 8)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.AppendAsync("cam", TestImages.FakePng(8, 8), sequence: -1));
        await Assert.ThrowsAsync<ArgumentException>(() => client.AppendAsync("cam", ReadOnlyMemory<byte>.Empty));
        Assert.Empty(server.Requests);
    }
}

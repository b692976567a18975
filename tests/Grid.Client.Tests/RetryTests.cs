using System.Diagnostics;
using System.Net;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.TestServer;
using Grid.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Grid.Client.Tests;

public sealed class RetryTests
{
    private static readonly ClusterStatus s_status = new([], "silo-a", 4, []);

    [Fact]
    public async Task ServiceUnavailableAndQueueFullAreRetriedHonouringRetryAfter()
    {
        int calls = 0;
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapGet("/v1/status", () => Interlocked.Increment(ref calls) switch
        {
            1 => ApiResults.Error(HttpStatusCode.ServiceUnavailable, ErrorCodes.Unavailable, "model loading", retryAfterSeconds: 1),
            2 => ApiResults.Error(HttpStatusCode.TooManyRequests, ErrorCodes.QueueFull, "queue full", retryAfterSeconds: 1),
            _ => ApiResults.Json(s_status),
        }));
        using GridClient client = TestClients.For(server);

        var clock = Stopwatch.StartNew();
        ClusterStatus status = await client.GetStatusAsync();

        Assert.Equal("silo-a", status.TrainerLeader);
        Assert.Equal(3, server.CountRequests("/v1/status"));
        // Two Retry-After: 1 waits; the 20 ms backoff alone would take a fraction of that.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task RetryAfterIsCappedByMaxRetryDelay()
    {
        int calls = 0;
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapGet("/v1/status", () => Interlocked.Increment(ref calls) == 1
            ? ApiResults.Error(HttpStatusCode.ServiceUnavailable, ErrorCodes.Unavailable, "draining", retryAfterSeconds: 3600)
            : ApiResults.Json(s_status)));
        using GridClient client = TestClients.For(server, options => options.MaxRetryDelay = TimeSpan.FromMilliseconds(300));

        var clock = Stopwatch.StartNew();
        await client.GetStatusAsync();

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(280), TimeSpan.FromSeconds(5));
        Assert.Equal(2, server.CountRequests("/v1/status"));
    }

    [Fact]
    public async Task RetriesStopAfterMaxRetriesWithTheLastError()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapGet("/v1/status", () =>
            ApiResults.Error(HttpStatusCode.TooManyRequests, ErrorCodes.QueueFull, "encode queue at capacity (64)", retryAfterSeconds: 0)));
        using GridClient client = TestClients.For(server, options => options.MaxRetries = 2);

        GridApiException error = await Assert.ThrowsAsync<GridApiException>(() => client.GetStatusAsync());

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(ErrorCodes.QueueFull, error.Code);
        Assert.Equal("encode queue at capacity (64)", error.Message);
        Assert.Equal(TimeSpan.Zero, error.RetryAfter);
        Assert.Equal(3, server.CountRequests("/v1/status"));
    }

    [Fact]
    public async Task ClientErrorsAreNotRetried()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapGet("/v1/status", () =>
            ApiResults.Error(HttpStatusCode.BadRequest, ErrorCodes.InvalidArgument, "no")));
        using GridClient client = TestClients.For(server);

        await Assert.ThrowsAsync<GridApiException>(() => client.GetStatusAsync());

        Assert.Equal(1, server.CountRequests("/v1/status"));
    }

    [Fact]
    public async Task BadGatewayAndGatewayTimeoutAreRetriedForReads()
    {
        int calls = 0;
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapGet("/v1/status", () => Interlocked.Increment(ref calls) switch
        {
            1 => Results.StatusCode(StatusCodes.Status502BadGateway),
            2 => Results.StatusCode(StatusCodes.Status504GatewayTimeout),
            _ => ApiResults.Json(s_status),
        }));
        using GridClient client = TestClients.For(server);

        await client.GetStatusAsync();

        Assert.Equal(3, server.CountRequests("/v1/status"));
    }

    [Fact]
    public async Task TimedOutReadsAreRetried()
    {
        int calls = 0;
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapGet("/v1/status", async (HttpContext context) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
            }
            return ApiResults.Json(s_status);
        }));
        using GridClient client = TestClients.For(server, options => options.Timeout = TimeSpan.FromMilliseconds(300));

        await client.GetStatusAsync();

        Assert.InRange(server.CountRequests("/v1/status"), 2, 5);
    }

    [Fact]
    public async Task ConnectionFailuresAreRetriedUntilTheServerStarts()
    {
        int port = FreePort.Next();
        var address = new Uri($"http://127.0.0.1:{port}/");
        using GridClient client = TestClients.For(address, options =>
        {
            options.MaxRetries = 20; // at least 3.7 s of retrying: ample for a server started 0.4 s in
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
            options.MaxRetryDelay = TimeSpan.FromMilliseconds(400);
        });

        // Even an append without a sequence number: a refused connection never reached a server.
        Task<AppendResult> append = client.AppendAsync("cam", TestImages.FakePng(8, 8));
        await Task.Delay(400);
        Assert.False(append.IsCompleted);
        await using ScriptedServer server = await ScriptedServer.StartAsync(
            app => app.MapPost("/v1/streams/{stream}/frames", () => ApiResults.Json(new AppendResult(0, 1, 100, false), StatusCodes.Status201Created)), port);

        AppendResult result = await append;

        Assert.False(result.Duplicate);
        Assert.Equal(1, server.CountRequests("/v1/streams/cam/frames"));
    }

    [Fact]
    public async Task UnreachableServerThrowsGridConnectionExceptionNamingIt()
    {
        using var nobody = new RefusingPort();
        Uri address = nobody.Address;
        using GridClient client = TestClients.For(address, options => options.MaxRetries = 1);

        GridConnectionException error = await Assert.ThrowsAsync<GridConnectionException>(() => client.ListStreamsAsync());

        Assert.Equal(address, error.Server);
        Assert.Contains(address.Authority, error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task CancellationStopsARetryWait()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapGet("/v1/status", () =>
            ApiResults.Error(HttpStatusCode.ServiceUnavailable, ErrorCodes.Unavailable, "draining", retryAfterSeconds: 60)));
        using GridClient client = TestClients.For(server, options => options.MaxRetryDelay = TimeSpan.FromSeconds(60));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetStatusAsync(cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"cancellation took {clock.Elapsed}");
    }
}

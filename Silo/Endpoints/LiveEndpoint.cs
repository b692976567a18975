using System.Net.WebSockets;
using Grid.Diagnostics;
using Grid.Contracts.Api;
using Grid.Grains.Streams;
using Grid.Imaging;
using Grid.Storage.Streams;
using Grid.Silo.Http;

namespace Grid.Silo.Endpoints;

/// <summary>
/// <c>GET /v1/streams/{stream}/live</c>: a WebSocket pushing one record per binary message (without the "GRS1"
/// magic): the backlog from <c>?from=</c> (default: only frames appended after connecting), then every new frame, in
/// order, with no gaps or repeats. Closes with 1001 when the silo shuts down and 1011 when Redis fails.
/// </summary>
internal static partial class LiveEndpoint
{
    public static void MapLiveEndpoint(this IEndpointRouteBuilder routes) => routes.MapGet("/v1/streams/{stream}/live", RunAsync);

    private static async Task RunAsync(
        HttpContext context, string stream, StreamStore store, StoredFrames frames, RecordDecoder decoder, GridMetrics metrics,
        IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    {
        string tenant = ApiRequest.Tenant(context);
        ApiRequest.Stream(stream);
        long? from = ApiRequest.QuerySequence(context, "from");
        ImageFileFormat? format = ApiRequest.Format(context, allowFrame: true, fallback: null);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw ApiException.InvalidArgument("live subscriptions are WebSockets: send an upgrade request (GET with Upgrade: websocket)");
        }
        StreamInfo info = await store.GetInfoAsync(tenant, stream, context.RequestAborted) ?? throw ApiException.StreamNotFound(tenant, stream);
        // Capped: a stream written before sequence numbers were bounded may hold a last sequence of 2^63 - 1.
        long start = from ?? Math.Min(info.LastSequence, StreamSequences.Max) + 1;

        ILogger logger = loggers.CreateLogger(typeof(LiveEndpoint));
        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        using var session = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        // The client sends nothing but its close; reading is what notices it.
        Task closed = ReadUntilCloseAsync(socket, session);
        metrics.LiveSubscribers.Add(1);
        LogSubscribed(logger, tenant, stream, start);
        try
        {
            // Self-contained frames, as in a replay: a subscription from inside a group of frames reads back to its key frame.
            StoredFrameChain chain = frames.OpenChain(tenant, stream);
            await foreach (StreamRecord stored in store.SubscribeAsync(tenant, stream, start, knownToExist: true, session.Token))
            {
                StreamRecord frame = await chain.ToSelfContainedAsync(stored, session.Token);
                StreamRecord record = format is { } imageFormat ? await decoder.ToImageAsync(frame, imageFormat, session.Token) : frame;
                await socket.SendAsync(RecordFormat.Encode(record), WebSocketMessageType.Binary, endOfMessage: true, session.Token);
                metrics.LiveRecords.Add(1);
            }
        }
        catch (OperationCanceledException) when (session.IsCancellationRequested)
        {
            if (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                await CloseAsync(socket, WebSocketCloseStatus.EndpointUnavailable, "the silo is shutting down; reconnect from the next sequence");
            }
            else if (socket.State == WebSocketState.CloseReceived)
            {
                await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, "bye");
            }
        }
        catch (WebSocketException)
        {
            // The client vanished without a close.
        }
        catch (StreamDeletedException)
        {
            await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, "the stream was deleted");
        }
        catch (Exception e)
        {
            LogFailed(logger, e, tenant, stream);
            ApiError error = ApiErrors.From(e);
            await CloseAsync(socket, WebSocketCloseStatus.InternalServerError, Truncate($"{error.Code}: {error.Message}"));
        }
        finally
        {
            metrics.LiveSubscribers.Add(-1);
            await session.CancelAsync();
            await WaitForCloseAsync(socket, closed);
        }
    }

    private static async Task ReadUntilCloseAsync(WebSocket socket, CancellationTokenSource session)
    {
        byte[] buffer = new byte[256];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                // No token: cancelling a receive aborts the socket, and a closing server still wants to send its close frame.
                WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Gone or ending anyway.
        }
        await session.CancelAsync();
    }

    /// <summary>Gives the client a moment to answer our close; aborts the socket when it does not.</summary>
    internal static async Task WaitForCloseAsync(WebSocket socket, Task reader)
    {
        try
        {
            await reader.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            socket.Abort();
            await reader;
        }
    }

    internal static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseOutputAsync(status, reason, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The client is gone.
            }
        }
    }

    /// <summary>Close reasons are limited to 123 UTF-8 bytes.</summary>
    internal static string Truncate(string reason) => reason.Length <= 120 ? reason : reason[..117] + "...";

    [LoggerMessage(EventId = 40, Level = LogLevel.Debug, Message = "Live subscription to {Tenant}/{Stream} from sequence {From}")]
    private static partial void LogSubscribed(ILogger logger, string tenant, string stream, long from);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Live subscription to {Tenant}/{Stream} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string tenant, string stream);
}

using System.Net;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using Grid.Client.Http;
using Grid.Client.WebSockets;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Polly.Timeout;

namespace Grid.Client;

public sealed partial class GridClient
{
    /// <summary>
    /// Follows a stream over a WebSocket: the backlog from <paramref name="from"/>, then each new frame as it is
    /// stored, in order with no gaps or duplicates. Messages split into several WebSocket fragments are joined. When
    /// the connection drops (or the silo goes away with close status 1001) the subscription reconnects after the last
    /// frame delivered, with the client's retry limits, so nothing is skipped; before the first frame a subscription
    /// without <paramref name="from"/> resumes with "only new frames" and may miss frames stored while it was away.
    /// Ends when the server closes normally or the caller stops enumerating or cancels.
    /// </summary>
    /// <param name="stream">The stream name.</param>
    /// <param name="from">First sequence number to deliver (the backlog); null: only frames stored from now on.</param>
    /// <param name="format"><see cref="PayloadFormat.Vqf"/> (default) or <see cref="PayloadFormat.Png"/>.</param>
    /// <param name="cancellationToken">Cancels the subscription.</param>
    /// <exception cref="GridApiException">The upgrade was refused: 404 <c>stream_not_found</c>, 400, ...</exception>
    /// <exception cref="GridConnectionException">No silo answered (after the retries).</exception>
    /// <exception cref="GridProtocolException">The server closed with a protocol error or sent a malformed record.</exception>
    public async IAsyncEnumerable<StreamRecord> LiveAsync(
        string stream, long? from = null, PayloadFormat format = PayloadFormat.Vqf,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ThrowIfBadStreamName(stream);
        ThrowIfBadRange(from, null);
        if (format is not (PayloadFormat.Vqf or PayloadFormat.Png))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "live subscriptions deliver VQF frames or PNG images");
        }
        long? next = from;
        int drops = 0;
        while (true)
        {
            using ClientWebSocket socket = await ConnectWebSocketAsync(ApiPaths.Live(stream, next, format), isLive: true, cancellationToken).ConfigureAwait(false);
            var reader = new WebSocketMessageReader(socket, RecordFormat.RecordHeaderLength + RecordFormat.MaxPayloadLength);
            Exception? dropped = null;
            try
            {
                while (true)
                {
                    WebSocketMessageType type;
                    int length;
                    try
                    {
                        (type, length) = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (WebSocketException exception) when (!cancellationToken.IsCancellationRequested)
                    {
                        dropped = exception;
                        break;
                    }
                    if (type == WebSocketMessageType.Close)
                    {
                        if (socket.CloseStatus == WebSocketCloseStatus.EndpointUnavailable)
                        {
                            // 1001: the silo is going away (draining); another one serves the stream.
                            dropped = new WebSocketException($"the silo closed the subscription: 1001 {socket.CloseStatusDescription}");
                            break;
                        }
                        if (socket.CloseStatus is WebSocketCloseStatus.NormalClosure or null)
                        {
                            yield break;
                        }
                        throw new GridProtocolException(
                            $"the server closed the live subscription of '{stream}': {(int)socket.CloseStatus} {socket.CloseStatusDescription}", socket.CloseStatus);
                    }
                    if (type != WebSocketMessageType.Binary)
                    {
                        throw new GridProtocolException($"the live subscription of '{stream}' sent a {type} message; records are binary");
                    }
                    StreamRecord record;
                    try
                    {
                        record = RecordFormat.Decode(reader.Data(length));
                    }
                    catch (InvalidDataException exception)
                    {
                        throw new GridProtocolException($"the live subscription of '{stream}' sent a malformed record: {exception.Message}", innerException: exception);
                    }
                    next = record.Sequence < long.MaxValue ? record.Sequence + 1 : long.MaxValue; // never overflows, even for a legacy stream
                    drops = 0;
                    yield return record;
                }
            }
            finally
            {
                await WebSocketClose.QuietlyAsync(socket, WebSocketCloseStatus.NormalClosure, "done").ConfigureAwait(false);
            }
            // Reconnect at once: the connect goes through the retry pipeline, which backs off while no silo answers.
            if (++drops > _options.MaxRetries)
            {
                throw new GridConnectionException(BaseAddress, $"the live subscription of '{stream}' keeps dropping: {dropped?.Message}", dropped);
            }
        }
    }

    /// <summary>
    /// Opens a WebSocket ingest session on a stream: frames are pipelined (sent ahead of their acknowledgements, up to
    /// <see cref="GridClientOptions.IngestWindow"/>) and acknowledged in order. The fastest way to push many frames.
    /// </summary>
    /// <param name="stream">The stream name (created on its first frame).</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The open session; dispose it (asynchronously) to close it.</returns>
    /// <exception cref="GridApiException">The upgrade was refused.</exception>
    /// <exception cref="GridConnectionException">No silo answered (after the retries).</exception>
    public Task<IngestSession> OpenIngestAsync(string stream, CancellationToken cancellationToken = default) =>
        OpenIngestAsync(stream, quality: null, cancellationToken);

    /// <summary>
    /// Opens a WebSocket ingest session whose images the server encodes at <paramref name="quality"/> (null: the
    /// stream's level when the session opens, standard for a new stream); frames sent ready carry their own level.
    /// </summary>
    /// <param name="stream">The stream name (created on its first frame).</param>
    /// <param name="quality">The level of the session's images; null: the stream's.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The open session; dispose it (asynchronously) to close it.</returns>
    /// <exception cref="GridApiException">The upgrade was refused.</exception>
    /// <exception cref="GridConnectionException">No silo answered (after the retries).</exception>
    public async Task<IngestSession> OpenIngestAsync(string stream, FrameQuality? quality, CancellationToken cancellationToken = default)
    {
        ThrowIfBadStreamName(stream);
        if (quality is { } level && !FrameQualities.IsDefined(level))
        {
            throw new ArgumentOutOfRangeException(nameof(quality), quality, $"not a defined quality level: {FrameQualities.Names}");
        }
        string path = ApiPaths.WithQuality(ApiPaths.Ingest(stream), quality);
        ClientWebSocket socket = await ConnectWebSocketAsync(path, isLive: false, cancellationToken).ConfigureAwait(false);
        return new IngestSession(socket, BaseAddress, stream, _options.IngestWindow, _options.Timeout);
    }

    /// <summary>Connects a WebSocket to <paramref name="path"/>, retrying like an idempotent request (connecting changes nothing).</summary>
    private async Task<ClientWebSocket> ConnectWebSocketAsync(string path, bool isLive, CancellationToken cancellationToken)
    {
        var uri = new UriBuilder(new Uri(BaseAddress, path));
        uri.Scheme = uri.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        try
        {
            return await _retry.ExecuteAsync(
                async (target, token) =>
                {
                    var socket = new ClientWebSocket();
                    socket.Options.CollectHttpResponseDetails = true;
                    socket.Options.SetRequestHeader("User-Agent", _options.UserAgent);
                    if (_options.ApiKey is { } key)
                    {
                        socket.Options.SetRequestHeader("Authorization", "Bearer " + key);
                    }
                    if (_options.Tenant is { } tenant)
                    {
                        socket.Options.SetRequestHeader(GridHeaders.Tenant, tenant);
                    }
                    try
                    {
                        await socket.ConnectAsync(target, token).ConfigureAwait(false);
                        return socket;
                    }
                    catch (WebSocketException exception) when (!token.IsCancellationRequested)
                    {
                        HttpStatusCode status = socket.HttpStatusCode;
                        TimeSpan? retryAfter = RetryAfter(socket.HttpResponseHeaders);
                        socket.Dispose();
                        if (status != 0 && status != HttpStatusCode.SwitchingProtocols)
                        {
                            throw new GridApiException(status, UpgradeErrorCode(status, isLive),
                                $"{target} refused the WebSocket upgrade with HTTP {(int)status}" + (status == HttpStatusCode.NotFound && isLive ? " (no such stream)" : ""),
                                retryAfter);
                        }
                        throw new GridConnectionException(BaseAddress, $"no answer from {target}: {exception.InnerException?.Message ?? exception.Message}", exception);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
                uri.Uri, RetrySafety.Idempotent, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no WebSocket upgrade from {uri.Uri} within {_options.Timeout.TotalSeconds:0.###} s", exception);
        }
    }

    /// <summary>
    /// A refused upgrade carries no readable body, so the code is the one docs/api.md gives for the status: 404 before
    /// a live upgrade is <c>stream_not_found</c>; 429 <c>queue_full</c>; 503 <c>unavailable</c>; otherwise unknown.
    /// </summary>
    private static string? UpgradeErrorCode(HttpStatusCode status, bool isLive) => status switch
    {
        HttpStatusCode.NotFound when isLive => ErrorCodes.StreamNotFound,
        HttpStatusCode.TooManyRequests => ErrorCodes.QueueFull,
        HttpStatusCode.ServiceUnavailable => ErrorCodes.Unavailable,
        _ => null,
    };

    private static TimeSpan? RetryAfter(IReadOnlyDictionary<string, IEnumerable<string>>? headers)
    {
        if (headers is null)
        {
            return null;
        }
        foreach ((string name, IEnumerable<string> values) in headers)
        {
            if (name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase)
                && System.Net.Http.Headers.RetryConditionHeaderValue.TryParse(values.FirstOrDefault(), out System.Net.Http.Headers.RetryConditionHeaderValue? value))
            {
                return RetryAfterHeader.Read(value, DateTimeOffset.UtcNow);
            }
        }
        return null;
    }
}

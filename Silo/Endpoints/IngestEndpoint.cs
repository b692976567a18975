using System.Buffers;
using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Grid.Diagnostics;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.Imaging;
using Grid.Grains.Abstractions;
using Grid.Silo.Streams;
using Grid.Silo.Admission;
using Grid.Silo.Http;
using Grid.Silo.Options;
using Microsoft.Extensions.Options;

namespace Grid.Silo.Endpoints;

/// <summary>
/// <c>GET /v1/streams/{stream}/ingest</c>: a WebSocket taking binary messages <c>i64 seq (-1: auto) | u8 kind (0
/// image, 1 VQF frame) | payload</c> and answering each with one text message, an <see cref="IngestAck"/>, in the
/// order received. Up to MaxInFlightPerSocket frames are in progress at once: their encodes batch in the codec grain,
/// and the stream grain stores them in the order received. When the window is full the server stops reading, so a
/// fast client is slowed by TCP rather than buffered. Protocol errors close the socket with 1003 (unsupported data)
/// or 1009 (message too big) after the acks of the frames before them.
/// </summary>
internal static partial class IngestEndpoint
{
    /// <summary>Bytes before the payload: the sequence number and the kind.</summary>
    public const int HeaderLength = 9;

    private const byte KindImage = 0;
    private const byte KindFrame = 1;

    public static void MapIngestEndpoint(this IEndpointRouteBuilder routes) => routes.MapGet("/v1/streams/{stream}/ingest", RunAsync);

    private static async Task RunAsync(
        HttpContext context, string stream, StreamAppender streams, IOptions<SiloOptions> options, GridMetrics metrics,
        IHostApplicationLifetime lifetime, ILoggerFactory loggers, PixelAdmission admission, TenantQuotas quotas)
    {
        string tenant = ApiRequest.Tenant(context);
        ApiRequest.Stream(stream);
        // Quotas are checked when the socket opens (a refusal is an HTTP answer); frames of an open socket are not.
        await quotas.CheckAppendAsync(tenant, stream, context.RequestAborted);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw ApiException.InvalidArgument("ingest is a WebSocket: send an upgrade request (GET with Upgrade: websocket)");
        }
        SiloOptions settings = options.Value;
        FrameQuality? requested = ApiRequest.Quality(context);
        StreamSession grain = streams.Open(tenant, stream);
        // The socket's images are encoded at one level: the one it names, else the stream's when it opened.
        FrameQuality quality = await grain.QualityAsync(requested);
        ILogger logger = loggers.CreateLogger(typeof(IngestEndpoint));
        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        CancellationToken aborted = context.RequestAborted;
        var limits = new ImageLimits(settings.MaxImageSide, settings.MaxImageSide);
        using var slots = new SemaphoreSlim(settings.MaxInFlightPerSocket, settings.MaxInFlightPerSocket);
        Channel<Task<IngestAck>> pending = Channel.CreateUnbounded<Task<IngestAck>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        Task sender = SendAcksAsync(socket, pending.Reader, slots, metrics, aborted);
        Task stopping = Task.Delay(Timeout.Infinite, lifetime.ApplicationStopping);
        metrics.IngestSockets.Add(1);
        LogOpened(logger, tenant, stream);

        var message = new ArrayBufferWriter<byte>(64 * 1024);
        long limit = settings.MaxBodyBytes + HeaderLength;
        (WebSocketCloseStatus Status, string Reason) close = (WebSocketCloseStatus.NormalClosure, "all frames acknowledged");
        Task<WebSocketMessageType?>? receive = null;
        bool clientClosed = false;
        try
        {
            while (true)
            {
                message.ResetWrittenCount();
                receive = ReceiveMessageAsync(socket, message, limit);
                if (await Task.WhenAny(receive, stopping) == stopping)
                {
                    close = (WebSocketCloseStatus.EndpointUnavailable, "the silo is shutting down; resend unacknowledged frames to another silo");
                    break;
                }
                WebSocketMessageType? type = await receive;
                receive = null;
                if (type is null)
                {
                    close = (WebSocketCloseStatus.MessageTooBig, LiveEndpoint.Truncate($"a message exceeds the limit of {limit} bytes"));
                    break;
                }
                if (type == WebSocketMessageType.Close)
                {
                    clientClosed = true;
                    break;
                }
                if (type == WebSocketMessageType.Text)
                {
                    close = (WebSocketCloseStatus.InvalidMessageType, "ingest takes binary messages: i64 seq | u8 kind | payload");
                    break;
                }
                if (message.WrittenCount < HeaderLength)
                {
                    close = (WebSocketCloseStatus.InvalidMessageType, $"a message of {message.WrittenCount} bytes is shorter than the {HeaderLength}-byte header");
                    break;
                }
                byte kind = message.WrittenSpan[8];
                if (kind is not (KindImage or KindFrame))
                {
                    close = (WebSocketCloseStatus.InvalidMessageType, $"unknown kind {kind}: 0 is an image, 1 a VQF frame");
                    break;
                }
                await slots.WaitAsync(aborted);
                // Images wait for pixels (by their header's size) before they are decoded; reading stops meanwhile.
                PixelLease? lease = null;
                Task<IngestAck>? refused = null;
                if (kind == KindImage)
                {
                    try
                    {
                        lease = await admission.AdmitImageAsync(tenant, message.WrittenSpan[HeaderLength..], quality, aborted);
                    }
                    catch (ApiException e)
                    {
                        refused = Task.FromResult(ErrorOf(BinaryPrimitives.ReadInt64LittleEndian(message.WrittenSpan), e));
                    }
                }
                pending.Writer.TryWrite(refused ?? Start(grain, message.WrittenSpan, limits, quality, lease, aborted));
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client vanished: nothing to acknowledge to.
            pending.Writer.TryComplete();
            await sender;
            metrics.IngestSockets.Add(-1);
            return;
        }
        pending.Writer.TryComplete();
        await sender;
        metrics.IngestSockets.Add(-1);
        LogClosing(logger, tenant, stream, (int)close.Status, close.Reason);
        await LiveEndpoint.CloseAsync(socket, close.Status, close.Reason);
        if (!clientClosed)
        {
            await LiveEndpoint.WaitForCloseAsync(socket, receive ?? DrainUntilCloseAsync(socket));
        }
    }

    /// <summary>Starts one frame: parses the header, decodes an image here (request-side work), hands it to the grain in order.</summary>
    private static Task<IngestAck> Start(StreamSession grain, ReadOnlySpan<byte> message, ImageLimits limits, FrameQuality quality, PixelLease? lease, CancellationToken cancellationToken)
    {
        Task<IngestAck> ack;
        try
        {
            ack = StartCore(grain, message, limits, quality, cancellationToken);
        }
        catch
        {
            lease?.Dispose();
            throw;
        }
        if (lease is not null)
        {
            // The encode goes on after this returns: its pixels are given back with its acknowledgement.
            _ = ack.ContinueWith(_ => lease.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return ack;
    }

    private static Task<IngestAck> StartCore(StreamSession grain, ReadOnlySpan<byte> message, ImageLimits limits, FrameQuality quality, CancellationToken cancellationToken)
    {
        long sequence = BinaryPrimitives.ReadInt64LittleEndian(message);
        byte kind = message[8];
        ReadOnlySpan<byte> payload = message[HeaderLength..];
        if (sequence != -1 && !StreamSequences.IsValid(sequence))
        {
            return Task.FromResult(Error(sequence, ErrorCodes.InvalidArgument, $"sequence {sequence} is invalid: use 0 to {StreamSequences.Max}, or -1 to let the stream assign one"));
        }
        long? requested = sequence == -1 ? null : sequence;
        try
        {
            Task<StreamAppendReply> append = kind == KindImage
                ? grain.AppendImageAsync(ImageFile.Decode(payload, limits), requested, quality, waitForCapacity: true, cancellationToken)
                : grain.AppendFrameAsync(payload.ToArray(), requested, cancellationToken);
            return ToAckAsync(append, sequence);
        }
        catch (Exception e)
        {
            return Task.FromResult(ErrorOf(sequence, e));
        }
    }

    private static async Task<IngestAck> ToAckAsync(Task<StreamAppendReply> append, long sequence)
    {
        try
        {
            StreamAppendReply outcome = await append;
            return outcome.Status switch
            {
                StreamAppendReply.Stored => new IngestAck(outcome.Sequence, "stored", outcome.ModelVersion, outcome.Bytes),
                StreamAppendReply.Duplicate => new IngestAck(outcome.Sequence, "duplicate", outcome.ModelVersion, outcome.Bytes),
                _ => Error(outcome.Sequence, outcome.ErrorCode!, outcome.Message ?? outcome.ErrorCode!),
            };
        }
        catch (Exception e)
        {
            return ErrorOf(sequence, e);
        }
    }

    private static IngestAck ErrorOf(long sequence, Exception exception)
    {
        ApiError error = ApiErrors.From(exception);
        return Error(sequence, error.Code, error.Message);
    }

    private static IngestAck Error(long sequence, string code, string message) => new(sequence, "error", Code: code, Message: message);

    private static async Task SendAcksAsync(WebSocket socket, ChannelReader<Task<IngestAck>> acks, SemaphoreSlim slots, GridMetrics metrics, CancellationToken cancellationToken)
    {
        bool connected = true;
        await foreach (Task<IngestAck> next in acks.ReadAllAsync(CancellationToken.None))
        {
            IngestAck ack = await next;
            metrics.IngestAcks.Add(1, GridMetrics.Tag("status", ack.Status));
            if (connected)
            {
                try
                {
                    byte[] json = JsonSerializer.SerializeToUtf8Bytes(ack, GridJson.Options);
                    await socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException)
                {
                    connected = false; // keep awaiting the rest so their work and slots are released
                }
            }
            slots.Release();
        }
    }

    /// <summary>Reads one whole message into <paramref name="message"/>; null when it exceeds <paramref name="limit"/>.</summary>
    private static async Task<WebSocketMessageType?> ReceiveMessageAsync(WebSocket socket, ArrayBufferWriter<byte> message, long limit)
    {
        while (true)
        {
            Memory<byte> memory = message.GetMemory(16 * 1024);
            // No token: cancelling a receive aborts the socket, and the acks still have to go out.
            ValueWebSocketReceiveResult result = await socket.ReceiveAsync(memory, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return WebSocketMessageType.Close;
            }
            message.Advance(result.Count);
            if (message.WrittenCount > limit)
            {
                return null;
            }
            if (result.EndOfMessage)
            {
                return result.MessageType;
            }
        }
    }

    /// <summary>After a protocol error: reads and drops messages until the client's close arrives.</summary>
    private static async Task DrainUntilCloseAsync(WebSocket socket)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (WebSocketException)
        {
            // Gone.
        }
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Debug, Message = "Ingest socket opened for {Tenant}/{Stream}")]
    private static partial void LogOpened(ILogger logger, string tenant, string stream);

    [LoggerMessage(EventId = 51, Level = LogLevel.Debug, Message = "Ingest socket for {Tenant}/{Stream} closing with {Status}: {Reason}")]
    private static partial void LogClosing(ILogger logger, string tenant, string stream, int status, string reason);
}

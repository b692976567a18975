using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Grid.Client.WebSockets;
using Grid.Contracts.Api;

namespace Grid.Client;

/// <summary>
/// A WebSocket ingest session on one stream (<c>GET /v1/streams/{stream}/ingest</c>): frames go out pipelined, at most
/// a window of them ahead of their acknowledgements, and the server acknowledges each in order.
/// </summary>
/// <remarks>
/// Two ways to use it. Pipelined: call <see cref="SendAsync"/> for each frame (it waits only when the window is full)
/// while another task reads <see cref="ReadAcksAsync"/>; then <see cref="CompleteAsync"/>. One at a time:
/// <see cref="SendAndWaitAsync"/> returns the frame's own acknowledgement. Frames are sent in the order the calls are
/// made. A refused frame is an acknowledgement with <see cref="IngestAck.Status"/> <c>error</c>, not an exception;
/// the session goes on. A broken connection or a protocol close faults the session: pending and later calls throw.
/// Cancelling a send that is already writing aborts the socket (a half-written message cannot be taken back).
/// </remarks>
public sealed class IngestSession : IAsyncDisposable
{
    private const int MaxAckBytes = 64 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly Uri _server;
    private readonly SemaphoreSlim _window;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Lock _pendingLock = new();
    private readonly Queue<PendingFrame> _pending = new();
    private readonly Channel<IngestAck> _acks = Channel.CreateUnbounded<IngestAck>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopReceiving = new();
    private readonly TimeSpan _closeTimeout;
    private readonly Task _receiveLoop;
    private Exception? _fault;
    private bool _completing;
    private bool _disposed;
    private long _sent;
    private long _acknowledged;

    internal IngestSession(ClientWebSocket socket, Uri server, string stream, int window, TimeSpan closeTimeout)
    {
        _socket = socket;
        _server = server;
        Stream = stream;
        Window = window;
        _window = new SemaphoreSlim(window, window);
        _closeTimeout = closeTimeout;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>The stream this session appends to.</summary>
    public string Stream { get; }

    /// <summary>Frames that may be sent ahead of their acknowledgements.</summary>
    public int Window { get; }

    /// <summary>Frames sent so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Acknowledgements received so far.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>
    /// Sends one frame, waiting first while <see cref="Window"/> frames await their acknowledgements. Its
    /// acknowledgement arrives through <see cref="ReadAcksAsync"/> (where it waits until read).
    /// </summary>
    /// <param name="sequence">The frame's sequence number (0 or more; a repeat answers <c>duplicate</c>), or null for last + 1.</param>
    /// <param name="kind">An image file or a VQF frame.</param>
    /// <param name="payload">The image file or frame bytes.</param>
    /// <param name="cancellationToken">Cancels waiting for the window (and aborts the session if the frame is being written).</param>
    /// <exception cref="InvalidOperationException">The session was completed or disposed.</exception>
    /// <exception cref="GridConnectionException">The connection broke.</exception>
    /// <exception cref="GridProtocolException">The server closed the session with a protocol error.</exception>
    public async ValueTask SendAsync(long? sequence, IngestFrameKind kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        await SendCoreAsync(sequence, kind, payload, waiter: null, cancellationToken).ConfigureAwait(false);

    /// <summary>Sends one frame and waits for its acknowledgement (which <see cref="ReadAcksAsync"/> does not repeat).</summary>
    /// <param name="sequence">The frame's sequence number (0 or more), or null for last + 1.</param>
    /// <param name="kind">An image file or a VQF frame.</param>
    /// <param name="payload">The image file or frame bytes.</param>
    /// <param name="cancellationToken">Cancels waiting (the frame may still be stored).</param>
    /// <returns>The acknowledgement: <c>stored</c>, <c>duplicate</c> or <c>error</c>.</returns>
    public async Task<IngestAck> SendAndWaitAsync(long? sequence, IngestFrameKind kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        var waiter = new TaskCompletionSource<IngestAck>(TaskCreationOptions.RunContinuationsAsynchronously);
        await SendCoreAsync(sequence, kind, payload, waiter, cancellationToken).ConfigureAwait(false);
        return await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The acknowledgements of frames sent with <see cref="SendAsync"/>, in sending order. Ends after
    /// <see cref="CompleteAsync"/> once every frame is acknowledged; throws when the session faults. Read it from one
    /// consumer.
    /// </summary>
    /// <param name="cancellationToken">Stops reading (the session goes on).</param>
    public IAsyncEnumerable<IngestAck> ReadAcksAsync(CancellationToken cancellationToken = default) => _acks.Reader.ReadAllAsync(cancellationToken);

    /// <summary>
    /// Ends the session cleanly: no more frames, waits until every frame sent is acknowledged, then performs the
    /// WebSocket close handshake.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the session is then aborted by <see cref="DisposeAsync"/>).</param>
    /// <exception cref="GridConnectionException">The connection broke before every frame was acknowledged.</exception>
    /// <exception cref="GridProtocolException">The server closed the session with a protocol error.</exception>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_pendingLock)
            {
                _completing = true;
                if (_pending.Count == 0)
                {
                    _drained.TrySetResult();
                }
            }
        }
        finally
        {
            _sendLock.Release();
        }
        await _drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_closeTimeout);
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token).ConfigureAwait(false);
                // The receive loop sees the server's close and ends.
                await _receiveLoop.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Every frame is acknowledged; a server that does not answer the close loses nothing by being cut off.
                _socket.Abort();
            }
            catch (WebSocketException exception)
            {
                throw new GridConnectionException(_server, $"closing the ingest session of '{Stream}' failed: {exception.Message}", exception);
            }
        }
        ThrowIfFaulted();
    }

    /// <summary>Completes the session when it is healthy (bounded by the client's timeout), else aborts it; releases the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        try
        {
            if (_fault is null && _socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(_closeTimeout);
                await CompleteAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or GridConnectionException or GridProtocolException or WebSocketException)
        {
            // Disposal must not throw; a session that cannot close cleanly is cut off below.
        }
        finally
        {
            _disposed = true;
            _socket.Abort();
            await _stopReceiving.CancelAsync().ConfigureAwait(false);
            await _receiveLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            Fault(new ObjectDisposedException(nameof(IngestSession)));
            _socket.Dispose();
            _stopReceiving.Dispose();
        }
    }

    private async Task SendCoreAsync(long? sequence, IngestFrameKind kind, ReadOnlyMemory<byte> payload, TaskCompletionSource<IngestAck>? waiter, CancellationToken cancellationToken)
    {
        if (sequence < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "a sequence number is 0 or more (null lets the server pick)");
        }
        if (kind is not (IngestFrameKind.Image or IngestFrameKind.Frame))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a defined IngestFrameKind");
        }
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfFaulted();
        await _window.WaitAsync(cancellationToken).ConfigureAwait(false);
        bool windowTaken = true;
        try
        {
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            byte[] message = ArrayPool<byte>.Shared.Rent(IngestMessage.HeaderLength + payload.Length);
            try
            {
                if (_completing)
                {
                    throw new InvalidOperationException($"the ingest session of '{Stream}' is completing; no more frames can be sent");
                }
                ThrowIfFaulted();
                int length = IngestMessage.Write(message, sequence, kind, payload.Span);
                lock (_pendingLock)
                {
                    _pending.Enqueue(new PendingFrame(sequence, waiter));
                }
                // From here the window slot belongs to the frame: its acknowledgement (or a fault) releases it.
                windowTaken = false;
                try
                {
                    await _socket.SendAsync(message.AsMemory(0, length), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
                {
                    Exception fault = Translate(exception, "sending a frame");
                    Fault(fault);
                    if (exception is OperationCanceledException)
                    {
                        throw;
                    }
                    throw fault;
                }
                Interlocked.Increment(ref _sent);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(message);
                _sendLock.Release();
            }
        }
        finally
        {
            if (windowTaken)
            {
                _window.Release();
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var reader = new WebSocketMessageReader(_socket, MaxAckBytes);
        try
        {
            while (true)
            {
                (WebSocketMessageType type, int length) = await reader.ReadAsync(_stopReceiving.Token).ConfigureAwait(false);
                if (type == WebSocketMessageType.Close)
                {
                    OnServerClosed();
                    await WebSocketClose.QuietlyAsync(_socket, WebSocketCloseStatus.NormalClosure, "done").ConfigureAwait(false);
                    return;
                }
                if (type != WebSocketMessageType.Text)
                {
                    throw new GridProtocolException($"the ingest session of '{Stream}' received a {type} message; acknowledgements are JSON text");
                }
                OnAck(ParseAck(reader.Data(length)));
            }
        }
        catch (Exception exception)
        {
            Fault(Translate(exception, "receiving acknowledgements"));
        }
    }

    private IngestAck ParseAck(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize<IngestAck>(json, GridJson.Options)
                ?? throw new GridProtocolException($"the ingest session of '{Stream}' received a JSON null acknowledgement");
        }
        catch (JsonException exception)
        {
            throw new GridProtocolException($"the ingest session of '{Stream}' received an acknowledgement that is not IngestAck JSON: {exception.Message}", innerException: exception);
        }
    }

    private void OnAck(IngestAck ack)
    {
        PendingFrame frame;
        lock (_pendingLock)
        {
            if (!_pending.TryDequeue(out frame))
            {
                throw new GridProtocolException($"the ingest session of '{Stream}' received an acknowledgement for sequence {ack.Sequence} with no frame in flight");
            }
            if (_completing && _pending.Count == 0)
            {
                _drained.TrySetResult();
            }
        }
        if (frame.Sequence is { } expected && ack.Sequence != expected)
        {
            throw new GridProtocolException($"the ingest session of '{Stream}' received the acknowledgement of sequence {ack.Sequence} where {expected} was next");
        }
        Interlocked.Increment(ref _acknowledged);
        _window.Release();
        if (frame.Waiter is { } waiter)
        {
            waiter.TrySetResult(ack);
        }
        else
        {
            _acks.Writer.TryWrite(ack);
        }
    }

    private void OnServerClosed()
    {
        int unacknowledged;
        bool completing;
        lock (_pendingLock)
        {
            unacknowledged = _pending.Count;
            completing = _completing;
        }
        WebSocketCloseStatus? status = _socket.CloseStatus;
        string reason = $"{(status is { } code ? (int)code : 0)} {_socket.CloseStatusDescription}".Trim();
        if (status is not (WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.EndpointUnavailable or null))
        {
            Fault(new GridProtocolException($"the server closed the ingest session of '{Stream}': {reason}", status));
            return;
        }
        if (unacknowledged > 0 || !completing)
        {
            Fault(new GridConnectionException(_server,
                $"the server closed the ingest session of '{Stream}' ({reason}) with {unacknowledged} frames unacknowledged"));
            return;
        }
        // A clean close with nothing outstanding: answer it and end the acknowledgements.
        _acks.Writer.TryComplete();
    }

    /// <summary>Marks the session broken: waiters, the acknowledgement reader and later calls see <paramref name="fault"/>.</summary>
    private void Fault(Exception fault)
    {
        PendingFrame[] abandoned;
        lock (_pendingLock)
        {
            _fault ??= fault;
            abandoned = [.. _pending];
            _pending.Clear();
            _drained.TrySetException(_fault);
        }
        foreach (PendingFrame frame in abandoned)
        {
            frame.Waiter?.TrySetException(_fault);
        }
        // Each abandoned frame held a window slot; freeing them wakes senders waiting for room, who then see the fault.
        if (abandoned.Length > 0)
        {
            _window.Release(abandoned.Length);
        }
        _acks.Writer.TryComplete(_fault);
    }

    private void ThrowIfFaulted()
    {
        if (_fault is { } fault)
        {
            throw fault;
        }
    }

    private Exception Translate(Exception exception, string doing) => exception switch
    {
        GridProtocolException or GridConnectionException => exception,
        _ when _disposed => new ObjectDisposedException(nameof(IngestSession)),
        _ => new GridConnectionException(_server, $"the ingest session of '{Stream}' broke while {doing}: {exception.Message}", exception),
    };

    /// <summary>A frame on the wire awaiting its acknowledgement, in sending order.</summary>
    private readonly record struct PendingFrame(long? Sequence, TaskCompletionSource<IngestAck>? Waiter);
}

using Grid.Codec;
using Grid.Contracts.Frames;
using Grid.Diagnostics;
using Grid.Grains.Abstractions;
using Grid.Grains.Serving;
using Grid.Imaging;
using Grid.Silo.Hosting;
using Orleans.Concurrency;

namespace Grid.Silo.Streams;

/// <summary>
/// One caller's appends to one stream (an HTTP request, or an ingest socket with many frames in flight). Frames are
/// encoded concurrently, so a pipelined client's frames batch in the codec, and handed to the stream grain strictly in
/// the order they were started here: each append waits for its predecessor's before it calls the grain.
/// </summary>
public sealed class StreamSession
{
    private readonly StreamAppender _appender;
    private readonly IStreamGrain _grain;
    private readonly Lock _gate = new();
    private Task _tail = Task.CompletedTask;

    internal StreamSession(StreamAppender appender, StreamGrainKey key, IStreamGrain grain)
    {
        _appender = appender;
        _grain = grain;
        Key = key;
    }

    /// <summary>The stream.</summary>
    public StreamGrainKey Key { get; }

    /// <summary>
    /// The quality level to encode the caller's images at: <paramref name="requested"/>, or when the caller names none
    /// the stream's own (that of its last stored frame; standard for a new stream), so a stream keeps its level.
    /// </summary>
    public async Task<FrameQuality> QualityAsync(FrameQuality? requested) =>
        requested ?? await GrainCallRetry.RunAsync(() => _grain.GetQualityAsync(), GrainCallRetry.SiloGone, CancellationToken.None);

    /// <summary>
    /// Encodes <paramref name="image"/> with the current model at <paramref name="quality"/> and appends the frame; a
    /// stored frame is offered to the training reservoir's sampler.
    /// </summary>
    /// <param name="image">The image.</param>
    /// <param name="sequence">The client's sequence number; null for the stream's last one + 1.</param>
    /// <param name="quality">The quality level (<see cref="QualityAsync"/>).</param>
    /// <param name="waitForCapacity">
    /// When the codec queue is full: false fails (the HTTP client retries after Retry-After); true waits for room (a
    /// pipelined ingest, whose later frames must not be stored before this one).
    /// </param>
    /// <param name="cancellationToken">Cancels while waiting for the codec or for a predecessor.</param>
    /// <exception cref="GrainErrorException">The codec refused or failed (queue full, unavailable, ...).</exception>
    public Task<StreamAppendReply> AppendImageAsync(RgbImage image, long? sequence, FrameQuality quality, bool waitForCapacity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ThrowIfNegative(sequence);
        return InTurnAsync(async () =>
        {
            EncodedFrame encoded = waitForCapacity
                ? await CodecBackpressure.RetryWhileFullAsync(() => _appender.Codec.EncodeAsync(image, quality), cancellationToken)
                : await _appender.Codec.EncodeAsync(image, quality);
            return new StreamFrame(sequence, encoded.ModelVersion, image.Width, image.Height, encoded.Frame);
        }, reply => _appender.Sampler?.Offer(Key.Tenant, Key.Stream, reply.Sequence, image));
    }

    /// <summary>Validates a ready VQF frame (it parses; its model version exists and matches) and appends it as is.</summary>
    /// <exception cref="FrameFormatException">The bytes are not a valid frame.</exception>
    /// <exception cref="CodecException">Unknown or mismatching model, out-of-range index, frame too large.</exception>
    public Task<StreamAppendReply> AppendFrameAsync(byte[] frame, long? sequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ThrowIfNegative(sequence);
        return InTurnAsync(async () =>
        {
            FrameInfo info = await FrameValidator.ValidateAsync(frame, _appender.Registry, _appender.MaxImageSide, cancellationToken);
            return new StreamFrame(sequence, info.ModelVersion, info.Width, info.Height, frame);
        }, onStored: null);
    }

    private Task<StreamAppendReply> InTurnAsync(Func<Task<StreamFrame>> prepare, Action<StreamAppendReply>? onStored)
    {
        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (_gate)
        {
            previous = _tail;
            _tail = turn.Task;
        }
        return AppendCoreAsync(previous, turn, prepare, onStored);
    }

    private async Task<StreamAppendReply> AppendCoreAsync(Task previous, TaskCompletionSource turn, Func<Task<StreamFrame>> prepare, Action<StreamAppendReply>? onStored)
    {
        try
        {
            StreamFrame frame = await prepare();
            await previous; // turns always complete successfully
            // A frame with a sequence number may be sent again whatever happened (the append is idempotent); one the
            // stream numbers only when it surely was not delivered.
            StreamAppendReply reply = await GrainCallRetry.RunAsync(() => _grain.AppendAsync(frame.AsImmutable()),
                frame.Sequence is null ? GrainCallRetry.NotDelivered : GrainCallRetry.SiloGone, CancellationToken.None);
            if (reply.Status == StreamAppendReply.Stored)
            {
                onStored?.Invoke(reply); // a retry (duplicate) is not sampled again
            }
            return reply;
        }
        catch (Exception e) when (RejectionCode(e) is { } code)
        {
            _appender.Metrics.FramesRejected.Add(1, GridMetrics.Tag("code", code));
            throw;
        }
        finally
        {
            // Successors must not start before this append is done (or failed); a failed predecessor does not stop them.
            await previous;
            turn.TrySetResult();
        }
    }

    private static string? RejectionCode(Exception exception) => exception switch
    {
        GrainErrorException grain => grain.Error.Code,
        CodecException codec => codec.Code,
        FrameFormatException frame => Contracts.ErrorCodes.FromFrameError(frame.Error),
        _ => null,
    };

    private static void ThrowIfNegative(long? sequence)
    {
        if (sequence < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "sequence numbers are 0 or above (null lets the stream assign one)");
        }
    }
}

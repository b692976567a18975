using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.Imaging;
using Grid.Storage.Streams;

namespace Grid.Grains.Serving;

/// <summary>
/// One stream of one tenant: validates frames, runs images through the codec grain, and appends to the
/// <see cref="StreamStore"/>, whose atomic script decides ordering and idempotency. Appends reach the store in the
/// order they were handed to this grain (each waits for its predecessor's append), while their encoding runs
/// concurrently, so a pipelined client's frames batch in the codec and are still stored in the order sent.
/// Created and cached by <see cref="StreamGrainDirectory"/>.
/// </summary>
public sealed class StreamGrain
{
    private readonly StreamGrainDirectory _directory;
    private readonly Lock _gate = new();
    private Task _tail = Task.CompletedTask;
    private int _pending;
    private long _lastUsed;
    private bool _retired;

    internal StreamGrain(StreamGrainDirectory directory, string tenant, string stream, long now)
    {
        _directory = directory;
        Tenant = tenant;
        Stream = stream;
        _lastUsed = now;
    }

    /// <summary>The tenant owning the stream.</summary>
    public string Tenant { get; }

    /// <summary>The stream's name.</summary>
    public string Stream { get; }

    /// <summary>
    /// Encodes <paramref name="image"/> with the current model and appends the frame; a stored frame is offered to the
    /// training reservoir's sampler (a hash decision and a non-blocking queue write).
    /// </summary>
    /// <param name="image">The image.</param>
    /// <param name="sequence">The client's sequence number; null for the stream's last one + 1.</param>
    /// <param name="waitForCapacity">
    /// When the codec queue is full: false fails with <see cref="QueueFullException"/> (the HTTP client retries); true
    /// waits for room (a pipelined ingest, whose later frames must not be stored before this one).
    /// </param>
    /// <param name="cancellationToken">Cancels while waiting for the codec or before the append's round trip.</param>
    /// <returns>Stored, duplicate (a retry), or rejected as out of order or of the wrong size.</returns>
    /// <exception cref="Codec.CodecException">Codec failures (queue full, unavailable, ...).</exception>
    public Task<AppendOutcome> AppendImageAsync(RgbImage image, long? sequence, bool waitForCapacity = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ThrowIfNegative(sequence);
        (Task previous, TaskCompletionSource turn) = TakeTurn();
        return AppendCoreAsync(previous, turn, async () =>
        {
            EncodeResult encoded = waitForCapacity
                ? await CodecBackpressure.RetryWhileFullAsync(() => _directory.Codec.EncodeAsync(image, cancellationToken), cancellationToken).ConfigureAwait(false)
                : await _directory.Codec.EncodeAsync(image, cancellationToken).ConfigureAwait(false);
            return new FrameToAppend(sequence, encoded.ModelVersion, image.Width, image.Height, encoded.Frame);
        }, cancellationToken, stored => _directory.Sampler?.Offer(Tenant, Stream, stored.Sequence, image));
    }

    /// <summary>Validates a ready VQF frame (it parses; its model version exists and matches) and appends it as is.</summary>
    /// <exception cref="FrameFormatException">The bytes are not a valid frame.</exception>
    /// <exception cref="Codec.CodecException">Unknown or mismatching model, out-of-range index, frame too large.</exception>
    public Task<AppendOutcome> AppendFrameAsync(byte[] frame, long? sequence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ThrowIfNegative(sequence);
        (Task previous, TaskCompletionSource turn) = TakeTurn();
        return AppendCoreAsync(previous, turn, async () =>
        {
            FrameInfo info = await FrameValidator.ValidateAsync(frame, _directory.Registry, _directory.Options.MaxImageSide, cancellationToken).ConfigureAwait(false);
            return new FrameToAppend(sequence, info.ModelVersion, info.Width, info.Height, frame);
        }, cancellationToken);
    }

    /// <summary>Stored frames from <paramref name="from"/> to <paramref name="to"/> (inclusive, both optional), read a page at a time.</summary>
    public IAsyncEnumerable<StreamRecord> ReplayAsync(long? from, long? to, CancellationToken cancellationToken = default)
    {
        Touch();
        return _directory.Store.ReplayAsync(Tenant, Stream, from, to, cancellationToken);
    }

    /// <summary>The frame stored under <paramref name="sequence"/>; null when there is none.</summary>
    public Task<StreamRecord?> GetAsync(long sequence, CancellationToken cancellationToken = default)
    {
        Touch();
        return _directory.Store.GetAsync(Tenant, Stream, sequence, cancellationToken);
    }

    /// <summary>Every frame from <paramref name="fromSequence"/> on: the backlog, then new frames as they are stored, until cancelled.</summary>
    public IAsyncEnumerable<StreamRecord> LiveAsync(long fromSequence, CancellationToken cancellationToken = default)
    {
        Touch();
        return _directory.Store.SubscribeAsync(Tenant, Stream, fromSequence, cancellationToken);
    }

    /// <summary>The stream's metadata; null when it does not exist.</summary>
    public Task<StreamInfo?> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        Touch();
        return _directory.Store.GetInfoAsync(Tenant, Stream, cancellationToken);
    }

    /// <summary>Marks the grain used; false when it was already retired (the directory then makes a new one).</summary>
    internal bool TryTouch()
    {
        lock (_gate)
        {
            if (_retired)
            {
                return false;
            }
            _lastUsed = _directory.Now;
            return true;
        }
    }

    /// <summary>Retires the grain when idle since <paramref name="idleSince"/> with no append in progress.</summary>
    internal bool TryRetire(long idleSince)
    {
        lock (_gate)
        {
            if (_pending > 0 || _lastUsed > idleSince)
            {
                return false;
            }
            _retired = true;
            return true;
        }
    }

    private void Touch() => TryTouch();

    private (Task Previous, TaskCompletionSource Turn) TakeTurn()
    {
        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            Task previous = _tail;
            _tail = turn.Task;
            _pending++;
            _lastUsed = _directory.Now;
            return (previous, turn);
        }
    }

    private async Task<AppendOutcome> AppendCoreAsync(Task previous, TaskCompletionSource turn, Func<Task<FrameToAppend>> prepare, CancellationToken cancellationToken,
        Action<AppendOutcome>? onStored = null)
    {
        try
        {
            FrameToAppend frame = await prepare().ConfigureAwait(false);
            await previous.ConfigureAwait(false); // turns always complete successfully
            AppendOutcome outcome = await _directory.Store.AppendAsync(Tenant, Stream, frame, cancellationToken).ConfigureAwait(false);
            _directory.CountOutcome(outcome);
            if (outcome.Status == AppendStatus.Stored)
            {
                onStored?.Invoke(outcome); // a retry (duplicate) is not sampled again
            }
            return outcome;
        }
        catch (Codec.CodecException e)
        {
            _directory.CountRejected(e.Code);
            throw;
        }
        catch (FrameFormatException e)
        {
            _directory.CountRejected(Contracts.ErrorCodes.FromFrameError(e.Error));
            throw;
        }
        finally
        {
            // Successors must not start before this append is done (or failed); a failed predecessor does not stop them.
            await previous.ConfigureAwait(false);
            lock (_gate)
            {
                _pending--;
                _lastUsed = _directory.Now;
            }
            turn.TrySetResult();
        }
    }

    private static void ThrowIfNegative(long? sequence)
    {
        if (sequence < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "sequence numbers are 0 or above (null lets the stream assign one)");
        }
    }
}

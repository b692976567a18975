using System.Diagnostics;
using Grid.Contracts;
using Grid.Contracts.Frames;
using Grid.Codec;
using Grid.Diagnostics;
using Grid.Imaging;
using Grid.Grains.Models;
using Grid.Storage.Models;
using Grid.Native;
using Microsoft.Extensions.Logging;

namespace Grid.Grains.Serving;

/// <summary>
/// Owns one device's codec work: a bounded queue drained by dedicated threads (never the thread pool), one per lane
/// (<see cref="CodecGrainOptions.Lanes"/>), into batches of up to <see cref="CodecGrainOptions.MaxBatch"/> items or
/// whatever arrived within <see cref="CodecGrainOptions.MaxDelay"/> of the batch's first item, whichever comes first.
/// One lane at a time collects a batch; while it runs that batch, the next free lane collects the next. Items of a
/// batch are grouped by operation and model version into native calls (the codec further groups equal padded sizes);
/// each lane uses its own copy of every model, so a native model is only ever used by one thread. A new current model
/// is picked up between batches. Requests are answered through completion sources whose continuations run off these
/// threads.
/// </summary>
public sealed partial class CodecBatcher : IAsyncDisposable
{
    private const double MaxRetryAfterSeconds = 30;

    private readonly ModelCache _models;
    private readonly CodecGrainOptions _options;
    private readonly ILogger<CodecBatcher> _logger;
    private readonly object _gate = new();
    private readonly Queue<CodecWork> _queue = new();
    private readonly Thread[] _threads;
    private readonly long[] _laneBatches;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _maxDelayTicks;
    private static readonly KeyValuePair<string, object?>[] s_operations = [GridMetrics.Tag("operation", "encode"), GridMetrics.Tag("operation", "decode")];
    private readonly GridMetrics _metrics;
    private bool _draining;
    private bool _collecting; // a lane is filling the next batch; the others wait for it to take it
    private int _runningLanes;
    private int _waitingLanes; // lanes inside TakeBatch (not running a batch): what is queued is split among them
    private Exception? _crash;
    private long _completed;
    private double _secondsPerItem; // moving average, for Retry-After

    /// <summary>Creates the batcher and starts its thread.</summary>
    public CodecBatcher(ModelCache models, CodecGrainOptions options, ILogger<CodecBatcher> logger, GridMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatch, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxQueue, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDelay, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Lanes, 1, nameof(options));
        if (options.Lanes > models.Lanes)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"{options.Lanes} codec lanes need as many model copies; the model cache keeps {models.Lanes}");
        }
        _models = models;
        _options = options;
        _logger = logger;
        _maxDelayTicks = (long)(options.MaxDelay.TotalSeconds * Stopwatch.Frequency);

        _metrics = metrics ?? GridMetrics.CreateUnshared();
        _metrics.ObserveCodecQueue(() => QueueDepth, () => QueueCapacity);

        _runningLanes = options.Lanes;
        _threads = new Thread[options.Lanes];
        _laneBatches = new long[options.Lanes];
        for (int lane = 0; lane < options.Lanes; lane++)
        {
            int mine = lane;
            _threads[lane] = new Thread(() => Run(mine)) { IsBackground = true, Name = options.Lanes == 1 ? $"codec {options.Device}" : $"codec {options.Device} {lane}" };
        }
        foreach (Thread thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Requests waiting for a batch now.</summary>
    public int QueueDepth
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Most requests that may wait.</summary>
    public int QueueCapacity => _options.MaxQueue;

    /// <summary>Batches that run at the same time.</summary>
    public int Lanes => _options.Lanes;

    /// <summary>Batches each lane has run so far (index = lane).</summary>
    public IReadOnlyList<long> BatchesPerLane => [.. _laneBatches.Select(n => Interlocked.Read(ref n))];

    /// <summary>The device this batcher's models run on.</summary>
    public string Device => _options.Device;

    /// <summary>The current model version; null before the first load.</summary>
    public uint? ModelVersion => _models.CurrentVersion;

    /// <summary>Requests answered so far (encodes and decodes; for rates).</summary>
    public long CompletedRequests => Interlocked.Read(ref _completed);

    /// <summary>True once <see cref="DrainAsync"/> was called: new requests are refused.</summary>
    public bool IsDraining
    {
        get
        {
            lock (_gate)
            {
                return _draining;
            }
        }
    }

    /// <summary>Encodes <paramref name="image"/> with the current model at <paramref name="quality"/>.</summary>
    /// <exception cref="QueueFullException">The queue is full.</exception>
    /// <exception cref="CodecUnavailableException">Draining, or no model loaded yet.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined quality level.</exception>
    public Task<EncodeResult> EncodeAsync(RgbImage image, FrameQuality quality = FrameQuality.Standard, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!FrameQualities.IsDefined(quality))
        {
            throw new ArgumentOutOfRangeException(nameof(quality), quality, $"quality level code {(byte)quality} is not defined: {FrameQualities.Names}");
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (!_models.IsLoaded)
        {
            throw new CodecUnavailableException("no model is loaded yet (the silo is starting)");
        }
        var work = new EncodeWork(image, quality);
        Enqueue(work, cancellationToken);
        return work.Completion.Task;
    }

    /// <summary>Decodes <paramref name="frame"/> with the model version it names, loading that version when needed.</summary>
    /// <exception cref="FrameFormatException">The bytes are not a valid frame.</exception>
    /// <exception cref="ModelNotFoundException">The frame's model version is unknown.</exception>
    /// <exception cref="ModelMismatchException">The frame's fingerprint or index width differs from that version's.</exception>
    /// <exception cref="CodecException">The frame is too large to decode, or an index is out of the codebook's range.</exception>
    /// <exception cref="QueueFullException">The queue is full.</exception>
    public async Task<RgbImage> DecodeAsync(byte[] frame, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        FrameInfo info = VqfReader.ReadInfo(frame);
        if (info.Width > _options.MaxImageSide || info.Height > _options.MaxImageSide)
        {
            throw new CodecException(ErrorCodes.ImageTooLarge,
                $"frame is {info.Width}x{info.Height} pixels; this silo decodes at most {_options.MaxImageSide} per side");
        }
        ModelLease lease = await _models.AcquireAsync(info.ModelVersion, cancellationToken).ConfigureAwait(false);
        DecodeWork work;
        try
        {
            lease.Codec.CheckCompatible(info);
            work = new DecodeWork(frame, info, lease);
            Enqueue(work, cancellationToken);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
        return await work.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>Refuses new requests, finishes the queued ones, then stops the thread. Idempotent.</summary>
    public Task DrainAsync()
    {
        lock (_gate)
        {
            if (!_draining)
            {
                _draining = true;
                LogDraining(_queue.Count);
                Monitor.PulseAll(_gate);
            }
        }
        return _stopped.Task;
    }

    /// <summary>Drains (see <see cref="DrainAsync"/>).</summary>
    public async ValueTask DisposeAsync() => await DrainAsync().ConfigureAwait(false);

    private void Enqueue(CodecWork work, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_draining)
            {
                _metrics.CodecRejected.Add(1, GridMetrics.Tag("reason", "draining"));
                throw new CodecUnavailableException("the silo is draining for shutdown; retry on another silo");
            }
            if (_queue.Count >= _options.MaxQueue)
            {
                _metrics.CodecRejected.Add(1, GridMetrics.Tag("reason", "queue_full"));
                throw new QueueFullException(_options.MaxQueue, RetryAfterLocked());
            }
            _queue.Enqueue(work);
            // Several lanes may wait on the gate (the one collecting and idle ones); the collector must see every item.
            if (_options.Lanes == 1)
            {
                Monitor.Pulse(_gate);
            }
            else
            {
                Monitor.PulseAll(_gate);
            }
        }
        work.Register(cancellationToken);
    }

    private TimeSpan RetryAfterLocked()
    {
        double seconds = Math.Clamp(Math.Ceiling(_queue.Count * Volatile.Read(ref _secondsPerItem) / _options.Lanes), 1, MaxRetryAfterSeconds);
        return TimeSpan.FromSeconds(seconds);
    }

    private void Run(int lane)
    {
        if (lane == 0)
        {
            LogStarted(_options.Device, _options.Lanes, _options.MaxBatch, _options.MaxDelay.TotalMilliseconds, _options.MaxQueue);
        }
        try
        {
            while (TakeBatch() is { } batch)
            {
                long started = Stopwatch.GetTimestamp();
                int processed = ProcessBatch(batch, lane);
                Interlocked.Increment(ref _laneBatches[lane]);
                if (processed > 0)
                {
                    double perItem = Stopwatch.GetElapsedTime(started).TotalSeconds / processed;
                    double average = Volatile.Read(ref _secondsPerItem);
                    Volatile.Write(ref _secondsPerItem, average == 0 ? perItem : (0.9 * average) + (0.1 * perItem));
                }
            }
        }
        catch (Exception e)
        {
            // Only a bug gets here (ProcessBatch answers every item); fail what waits rather than hang callers.
            LogCrashed(e, _options.Device);
            lock (_gate)
            {
                _draining = true;
                _crash ??= e;
                while (_queue.TryDequeue(out CodecWork? work))
                {
                    work.Fail(new CodecFailedException("the codec thread stopped on an internal error", e));
                    work.Finish();
                }
                Monitor.PulseAll(_gate);
            }
        }
        if (Interlocked.Decrement(ref _runningLanes) == 0)
        {
            Exception? crash;
            lock (_gate)
            {
                crash = _crash;
            }
            if (crash is null)
            {
                LogStopped(_options.Device);
                _stopped.TrySetResult();
            }
            else
            {
                _stopped.TrySetException(crash);
            }
        }
    }

    /// <summary>
    /// Waits until this lane may collect (items queued, no other lane collecting), then for more items until the batch
    /// is full or MaxDelay after the first one, and takes its share: at most MaxBatch, and no more than an even split of
    /// the queue among the lanes that are free, so that free lanes do not idle beside one running everything; null once
    /// drained.
    /// </summary>
    private List<CodecWork>? TakeBatch()
    {
        lock (_gate)
        {
            _waitingLanes++;
            try
            {
                return TakeBatchLocked();
            }
            finally
            {
                _waitingLanes--;
            }
        }
    }

    private List<CodecWork>? TakeBatchLocked()
    {
        while (_queue.Count == 0 || _collecting)
        {
            if (_draining && _queue.Count == 0)
            {
                return null;
            }
            Monitor.Wait(_gate);
        }
        _collecting = true;
        try
        {
            long deadline = _queue.Peek().Enqueued + _maxDelayTicks;
            while (_queue.Count < _options.MaxBatch && !_draining)
            {
                long remaining = deadline - Stopwatch.GetTimestamp();
                if (remaining <= 0)
                {
                    break;
                }
                Monitor.Wait(_gate, TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
            }
            int share = (_queue.Count + _waitingLanes - 1) / _waitingLanes;
            int count = Math.Min(share, _options.MaxBatch);
            var batch = new List<CodecWork>(count);
            for (int i = 0; i < count; i++)
            {
                batch.Add(_queue.Dequeue());
            }
            return batch;
        }
        finally
        {
            _collecting = false;
            if (_options.Lanes > 1)
            {
                Monitor.PulseAll(_gate); // the next free lane collects what is left or what comes next
            }
        }
    }

    /// <summary>Runs one batch and answers every item in it; returns how many were processed (not cancelled).</summary>
    private int ProcessBatch(List<CodecWork> batch, int lane)
    {
        var encodes = new List<EncodeWork>();
        var decodes = new List<DecodeWork>();
        long now = Stopwatch.GetTimestamp();
        foreach (CodecWork work in batch)
        {
            if (work.IsCompleted)
            {
                continue; // cancelled while waiting
            }
            _metrics.CodecQueueWait.Record(Stopwatch.GetElapsedTime(work.Enqueued, now).TotalSeconds, s_operations[(int)work.Operation]);
            if (work is EncodeWork encode)
            {
                encodes.Add(encode);
            }
            else
            {
                decodes.Add((DecodeWork)work);
            }
        }
        int processed = encodes.Count + decodes.Count;
        try
        {
            if (processed > 0)
            {
                _metrics.CodecBatchSize.Record(processed);
            }
            if (encodes.Count > 0)
            {
                RunEncodes(encodes, lane);
            }
            foreach (IGrouping<uint, DecodeWork> group in decodes.GroupBy(d => d.Lease.Version))
            {
                RunDecodes([.. group], lane);
            }
        }
        finally
        {
            foreach (CodecWork work in batch)
            {
                if (!work.IsCompleted)
                {
                    work.Fail(new CodecFailedException("the codec batch ended without an answer for this request", new InvalidOperationException()));
                }
                work.Finish();
            }
        }
        return processed;
    }

    private void RunEncodes(List<EncodeWork> items, int lane)
    {
        ModelLease lease;
        try
        {
            lease = _models.AcquireCurrent();
        }
        catch (CodecException e)
        {
            items.ForEach(item => Fail(item, e));
            return;
        }
        using (lease)
        {
            RunGroup(items, group =>
            {
                byte[][] frames = lease.CodecFor(lane).EncodeBatch([.. group.Select(w => w.Image)], FrameCoding.Fixed, [.. group.Select(w => w.Quality)]);
                for (int i = 0; i < group.Count; i++)
                {
                    Complete(group[i], () => group[i].Completion.TrySetResult(new EncodeResult(frames[i], lease.Version)));
                }
            });
        }
    }

    private void RunDecodes(List<DecodeWork> items, int lane)
    {
        VqCodec codec = items[0].Lease.CodecFor(lane);
        RunGroup(items, group =>
        {
            RgbImage[] images = codec.DecodeBatch([.. group.Select(w => w.Frame)]);
            for (int i = 0; i < group.Count; i++)
            {
                Complete(group[i], () => group[i].Completion.TrySetResult(images[i]));
            }
        });
    }

    /// <summary>
    /// Runs a group as one call; if it fails and holds several items, runs each item alone so that one bad item (an
    /// out-of-range index, an allocation too large) fails only itself.
    /// </summary>
    private void RunGroup<T>(List<T> group, Action<List<T>> run)
        where T : CodecWork
    {
        try
        {
            run(group);
        }
        catch (Exception e) when (group.Count > 1)
        {
            LogGroupFailed(e, group.Count, group[0].Operation);
            foreach (T item in group)
            {
                try
                {
                    run([item]);
                }
                catch (Exception single)
                {
                    Fail(item, single);
                }
            }
        }
        catch (Exception e)
        {
            Fail(group[0], e);
        }
    }

    private void Complete(CodecWork work, Action answer)
    {
        answer();
        int operation = (int)work.Operation;
        _metrics.CodecRequests.Add(1, s_operations[operation]);
        _metrics.CodecLatency.Record(Stopwatch.GetElapsedTime(work.Enqueued).TotalSeconds, s_operations[operation]);
        Interlocked.Increment(ref _completed);
    }

    private void Fail(CodecWork work, Exception exception)
    {
        Exception mapped = exception switch
        {
            CodecException or FrameFormatException => exception,
            NativeOutOfMemoryException => new CodecUnavailableException($"the codec ran out of memory on {_options.Device}: {exception.Message}"),
            _ => new CodecFailedException($"the codec failed on {_options.Device}: {exception.Message}", exception),
        };
        if (mapped is CodecFailedException)
        {
            LogItemFailed(exception, work.Operation);
        }
        _metrics.CodecErrors.Add(1, GridMetrics.Tag("code", mapped is CodecException c ? c.Code : ErrorCodes.FromFrameError(((FrameFormatException)mapped).Error)));
        work.Fail(mapped);
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Codec batcher on {Device} started: {Lanes} lanes, batches of up to {MaxBatch} within {MaxDelayMs} ms, queue of {MaxQueue}")]
    private partial void LogStarted(string device, int lanes, int maxBatch, double maxDelayMs, int maxQueue);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Codec batcher draining: {Queued} queued requests to finish, new ones refused")]
    private partial void LogDraining(int queued);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Codec batcher on {Device} stopped")]
    private partial void LogStopped(string device);

    [LoggerMessage(EventId = 203, Level = LogLevel.Critical, Message = "Codec thread on {Device} crashed; waiting requests failed")]
    private partial void LogCrashed(Exception exception, string device);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "A codec group of {Count} {Operation} requests failed; retrying them one by one")]
    private partial void LogGroupFailed(Exception exception, int count, CodecOperation operation);

    [LoggerMessage(EventId = 205, Level = LogLevel.Error, Message = "A codec {Operation} request failed inside the codec")]
    private partial void LogItemFailed(Exception exception, CodecOperation operation);
}

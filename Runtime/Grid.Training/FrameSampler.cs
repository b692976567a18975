using System.Threading.Channels;
using Grid.Diagnostics;
using Grid.Imaging;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Grid.Training;

/// <summary>
/// Samples stored frames into the training reservoir without slowing the request path: <see cref="Offer"/> makes the
/// decision from a hash of (tenant, stream, sequence) — one frame in <see cref="TrainerOptions.SampleEvery"/>, one
/// sample in <see cref="TrainerOptions.HeldOutEvery"/> held out, the same on every silo and every retry — and hands the
/// image to a bounded channel without waiting (a full channel drops the sample and counts it). <see cref="RunAsync"/>,
/// the background writer, crops each sample to at most <see cref="TrainerOptions.SampleSide"/> pixels per side,
/// asks the reservoir for a slot (Algorithm R) and only then compresses it to PNG and writes it.
/// </summary>
public sealed partial class FrameSampler
{
    private readonly ReservoirStore _store;
    private readonly TrainerOptions _options;
    private readonly ILogger<FrameSampler> _logger;
    private readonly Channel<Offered> _queue;
    private readonly GridMetrics _metrics;
    private long _droppedFull;
    private long _written;
    private int _queued;

    /// <summary>Creates the sampler; nothing is written until <see cref="RunAsync"/> runs.</summary>
    public FrameSampler(ReservoirStore store, TrainerOptions options, ILogger<FrameSampler> logger, GridMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _options = options;
        _logger = logger;
        _queue = Channel.CreateBounded<Offered>(new BoundedChannelOptions(options.SampleQueue)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of evicting: the request path never waits
            SingleReader = true,
        });
        _metrics = metrics ?? GridMetrics.CreateUnshared();
        _metrics.ObserveSampleQueue(() => Volatile.Read(ref _queued));
    }

    /// <summary>Samples dropped because the writer's queue was full.</summary>
    public long DroppedQueueFull => Interlocked.Read(ref _droppedFull);

    /// <summary>Samples written to the reservoir by this sampler.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>
    /// Called for every stored frame: samples it or not. Never blocks: costs one hash and, for a sampled frame, one
    /// channel write. Returns true when the frame was queued for the reservoir.
    /// </summary>
    public bool Offer(string tenant, string stream, long sequence, RgbImage image)
    {
        SampleHash hash = SampleHash.Of(tenant, stream, sequence);
        if (!hash.Sampled(_options.SampleEvery))
        {
            return false;
        }
        if (!_queue.Writer.TryWrite(new Offered(TrainKeys.Member(tenant, stream), sequence, hash, image)))
        {
            Interlocked.Increment(ref _droppedFull);
            _metrics.TrainSamplesDropped.Add(1, GridMetrics.Tag("reason", "queue_full"));
            return false;
        }
        Interlocked.Increment(ref _queued);
        return true;
    }

    /// <summary>The background writer: runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (Offered offered in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                Interlocked.Decrement(ref _queued);
                try
                {
                    await WriteAsync(offered).ConfigureAwait(false);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    _metrics.TrainSamplesDropped.Add(1, GridMetrics.Tag("reason", "redis"));
                    LogWriteFailed(offered.Member, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: samples still queued are dropped; the reservoir is a sample, not a log.
        }
    }

    /// <summary>The part of the sample kept: the whole frame, or a crop at a position chosen by the frame's hash.</summary>
    internal static RgbImage Crop(RgbImage image, int side, SampleHash hash)
    {
        if (image.Width <= side && image.Height <= side)
        {
            return image;
        }
        int width = Math.Min(side, image.Width);
        int height = Math.Min(side, image.Height);
        int x = hash.Next(image.Width - width + 1, 4);
        int y = hash.Next(image.Height - height + 1, 5);
        return image.Crop(x, y, width, height);
    }

    private async Task WriteAsync(Offered offered)
    {
        bool heldOut = offered.Hash.HeldOut(_options.HeldOutEvery);
        long? slot = await _store.ReserveAsync(offered.Member, heldOut, offered.Hash.Uniform).ConfigureAwait(false);
        if (slot is not { } granted)
        {
            _metrics.TrainSamplesNotKept.Add(1);
            return;
        }
        // Compressed only once kept: most samples of a long stream are not.
        byte[] png = Png.Encode(Crop(offered.Image, _options.SampleSide, offered.Hash), compressionLevel: 3);
        await _store.WriteAsync(offered.Member, heldOut, granted, offered.Sequence, png).ConfigureAwait(false);
        Interlocked.Increment(ref _written);
        _metrics.TrainSamples.Add(1, GridMetrics.Tag("part", heldOut ? "heldout" : "train"));
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "A sample of stream {Stream} could not be written to the training reservoir: {Reason}")]
    private partial void LogWriteFailed(string stream, string reason);

    private sealed record Offered(string Member, long Sequence, SampleHash Hash, RgbImage Image);
}

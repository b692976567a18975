using System.Diagnostics.Metrics;

namespace Grid.Diagnostics;

/// <summary>
/// Every instrument of the silo, on the meter <see cref="MeterName"/>, defined here and nowhere else (names, units,
/// descriptions, histogram buckets). Exported at <c>/metrics</c> by prometheus-net's meter adapter as
/// <c>grid_&lt;instrument name&gt;</c> (docs/silo.md#metrics). Register one per process through DI
/// (<see cref="IMeterFactory"/>); code outside a host (tools, tests) may use <see cref="CreateUnshared"/>.
/// </summary>
public sealed class GridMetrics : IDisposable
{
    /// <summary>The meter's name; prometheus-net prefixes every instrument with it.</summary>
    public const string MeterName = "grid";

    /// <summary>Upper bounds (seconds) of the latency histograms.</summary>
    public static IReadOnlyList<double> LatencyBuckets { get; } = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly Dictionary<string, double[]> s_buckets = new(StringComparer.Ordinal)
    {
        [Names.HttpRequestDuration] = [.. LatencyBuckets],
        [Names.CodecLatency] = [.. LatencyBuckets],
        [Names.CodecQueueWait] = [.. LatencyBuckets],
        [Names.CodecBatchSize] = [1, 2, 4, 8, 16, 32, 64, 128, 256],
        [Names.TrainerRefreshDuration] = [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    };

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    /// <summary>Creates the instruments on a meter from <paramref name="meters"/>.</summary>
    public GridMetrics(IMeterFactory meters)
        : this((meters ?? throw new ArgumentNullException(nameof(meters))).Create(MeterName), ownsMeter: false)
    {
    }

    private GridMetrics(Meter meter, bool ownsMeter)
    {
        _meter = meter;
        _ownsMeter = ownsMeter;
        HttpRequests = meter.CreateCounter<long>(Names.HttpRequests, description: "HTTP requests answered, by route template, method and status.");
        HttpRequestDuration = meter.CreateHistogram<double>(Names.HttpRequestDuration, "s", "HTTP request durations by route template (WebSockets: the session).");
        CodecBatchSize = meter.CreateHistogram<int>(Names.CodecBatchSize, description: "Requests per codec batch.");
        CodecLatency = meter.CreateHistogram<double>(Names.CodecLatency, "s", "Time from queueing a codec request to its answer.");
        CodecQueueWait = meter.CreateHistogram<double>(Names.CodecQueueWait, "s", "Time a codec request waited before its batch started.");
        CodecRequests = meter.CreateCounter<long>(Names.CodecRequests, description: "Codec requests answered.");
        CodecRejected = meter.CreateCounter<long>(Names.CodecRejected, description: "Codec requests refused before queueing.");
        CodecErrors = meter.CreateCounter<long>(Names.CodecErrors, description: "Codec requests that failed, by error code.");
        FramesStored = meter.CreateCounter<long>(Names.FramesStored, description: "Frames appended to streams.");
        FramesDuplicate = meter.CreateCounter<long>(Names.FramesDuplicate, description: "Appends that repeated a stored sequence number (idempotent retries).");
        FramesRejected = meter.CreateCounter<long>(Names.FramesRejected, description: "Appends the stream refused, by error code.");
        ModelLoads = meter.CreateCounter<long>(Names.ModelLoads, description: "Model versions loaded into memory.");
        ModelLoadFailures = meter.CreateCounter<long>(Names.ModelLoadFailures, description: "Model loads that failed (the previous current model kept serving).");
        ModelVersionsDeleted = meter.CreateCounter<long>(Names.ModelVersionsDeleted, description: "Model versions deleted by retention (no frame named them).");
        StreamGrainsActive = meter.CreateUpDownCounter<long>(Names.StreamGrains, description: "Stream grains active in this silo (Orleans activations).");
        LiveSubscribers = meter.CreateUpDownCounter<long>(Names.LiveSubscribers, description: "Open live WebSocket subscriptions.");
        LiveRecords = meter.CreateCounter<long>(Names.LiveRecords, description: "Records pushed to live WebSocket subscribers.");
        IngestSockets = meter.CreateUpDownCounter<long>(Names.IngestSockets, description: "Open ingest WebSockets.");
        IngestAcks = meter.CreateCounter<long>(Names.IngestAcks, description: "Ingest WebSocket acknowledgements, by status.");
        TrainerCycles = meter.CreateCounter<long>(Names.TrainerCycles, description: "Refresh cycles this silo ran, by outcome (published = version accepted).");
        TrainerRefreshDuration = meter.CreateHistogram<double>(Names.TrainerRefreshDuration, "s", "Duration of refresh cycles, reading the reservoir to publishing.");
        TrainSamples = meter.CreateCounter<long>(Names.TrainSamples, description: "Sampled frames this silo wrote to the training reservoir, by part.");
        TrainSamplesNotKept = meter.CreateCounter<long>(Names.TrainSamplesNotKept, description: "Sampled frames Algorithm R did not keep (the stream's part is full and the draw missed).");
        TrainSamplesDropped = meter.CreateCounter<long>(Names.TrainSamplesDropped, description: "Sampled frames dropped before reaching the reservoir, by reason.");
        TrainerHeldoutPsnr = new SettableGauge(meter, Names.TrainerHeldoutPsnr, "Held-out PSNR of the last cycle, of the current model and of the candidate.");
        TrainerCodesUsed = new SettableGauge(meter, Names.TrainerCodesUsed, "Distinct codes used on the held-out samples in the last cycle.");
        TrainerPerplexity = new SettableGauge(meter, Names.TrainerPerplexity, "Perplexity of code usage on the held-out samples in the last cycle.");
        TrainerDeadCodes = new SettableGauge(meter, Names.TrainerDeadCodes, "Codes the last k-means refresh found unused by the new data and re-seeded.");
        ReservoirSamples = new SettableGauge(meter, Names.ReservoirSamples, "Samples in the training reservoir (updated by the leader).");
        ReservoirStreams = new SettableGauge(meter, Names.ReservoirStreams, "Streams with samples in the training reservoir (updated by the leader).");
    }

    public Counter<long> HttpRequests { get; }
    public Histogram<double> HttpRequestDuration { get; }
    public Histogram<int> CodecBatchSize { get; }
    public Histogram<double> CodecLatency { get; }
    public Histogram<double> CodecQueueWait { get; }
    public Counter<long> CodecRequests { get; }
    public Counter<long> CodecRejected { get; }
    public Counter<long> CodecErrors { get; }
    public Counter<long> FramesStored { get; }
    public Counter<long> FramesDuplicate { get; }
    public Counter<long> FramesRejected { get; }
    public UpDownCounter<long> StreamGrainsActive { get; }
    public Counter<long> ModelLoads { get; }
    public Counter<long> ModelLoadFailures { get; }
    public Counter<long> ModelVersionsDeleted { get; }
    public UpDownCounter<long> LiveSubscribers { get; }
    public Counter<long> LiveRecords { get; }
    public UpDownCounter<long> IngestSockets { get; }
    public Counter<long> IngestAcks { get; }
    public Counter<long> TrainerCycles { get; }
    public Histogram<double> TrainerRefreshDuration { get; }
    public Counter<long> TrainSamples { get; }
    public Counter<long> TrainSamplesNotKept { get; }
    public Counter<long> TrainSamplesDropped { get; }
    public SettableGauge TrainerHeldoutPsnr { get; }
    public SettableGauge TrainerCodesUsed { get; }
    public SettableGauge TrainerPerplexity { get; }
    public SettableGauge TrainerDeadCodes { get; }
    public SettableGauge ReservoirSamples { get; }
    public SettableGauge ReservoirStreams { get; }

    /// <summary>The meter every instrument lives on.</summary>
    public Meter Meter => _meter;

    /// <summary>Instruments on a meter of their own, for code running outside a host (tests, tools).</summary>
    public static GridMetrics CreateUnshared() => new(new Meter(MeterName), ownsMeter: true);

    /// <summary>The buckets of a histogram of this meter (prometheus-net asks per instrument); null for other meters' instruments.</summary>
    public static double[]? BucketsFor(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        return instrument.Meter.Name == MeterName && s_buckets.TryGetValue(instrument.Name, out double[]? buckets) ? buckets : null;
    }

    /// <summary>A tag (a Prometheus label).</summary>
    public static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);

    /// <summary>Codec queue depth and capacity, read at every scrape.</summary>
    public void ObserveCodecQueue(Func<int> depth, Func<int> capacity)
    {
        _meter.CreateObservableGauge(Names.CodecQueueDepth, depth, description: "Codec requests waiting for a batch.");
        _meter.CreateObservableGauge(Names.CodecQueueCapacity, capacity, description: "Most codec requests that may wait (MaxQueue).");
    }

    /// <summary>The current model version and how many older ones are loaded.</summary>
    public void ObserveModelCache(Func<long> currentVersion, Func<int> cachedVersions)
    {
        _meter.CreateObservableGauge(Names.ModelCurrentVersion, currentVersion, description: "Model version new frames are encoded with (0 before the first load).");
        _meter.CreateObservableGauge(Names.ModelCachedVersions, cachedVersions, description: "Older model versions kept loaded for decoding.");
    }

    /// <summary>Whether the silo drains and whether it has started.</summary>
    public void ObserveSilo(Func<bool> draining, Func<bool> started)
    {
        _meter.CreateObservableGauge(Names.SiloDraining, () => draining() ? 1 : 0, description: "1 while the silo drains for shutdown.");
        _meter.CreateObservableGauge(Names.SiloStarted, () => started() ? 1 : 0, description: "1 once the silo loaded its first model.");
    }

    /// <summary>Whether this silo holds the trainer lease.</summary>
    public void ObserveTrainerLeader(Func<bool> leader) =>
        _meter.CreateObservableGauge(Names.TrainerLeader, () => leader() ? 1 : 0, description: "1 while the trainer grain is active on this silo.");

    /// <summary>Sampled frames waiting for the reservoir writer.</summary>
    public void ObserveSampleQueue(Func<int> depth) =>
        _meter.CreateObservableGauge(Names.TrainSampleQueueDepth, depth, description: "Sampled frames waiting for the reservoir writer.");

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    /// <summary>Instrument names (Prometheus adds the meter name: <c>grid_</c> + name).</summary>
    public static class Names
    {
        public const string HttpRequests = "http_requests_total";
        public const string HttpRequestDuration = "http_request_duration_seconds";
        public const string CodecQueueDepth = "codec_queue_depth";
        public const string CodecQueueCapacity = "codec_queue_capacity";
        public const string CodecBatchSize = "codec_batch_size";
        public const string CodecLatency = "codec_latency_seconds";
        public const string CodecQueueWait = "codec_queue_wait_seconds";
        public const string CodecRequests = "codec_requests_total";
        public const string CodecRejected = "codec_rejected_total";
        public const string CodecErrors = "codec_errors_total";
        public const string FramesStored = "frames_stored_total";
        public const string FramesDuplicate = "frames_duplicate_total";
        public const string FramesRejected = "frames_rejected_total";
        public const string ModelLoads = "model_loads_total";
        public const string ModelLoadFailures = "model_load_failures_total";
        public const string ModelCurrentVersion = "model_current_version";
        public const string ModelCachedVersions = "model_cached_versions";
        public const string ModelVersionsDeleted = "model_versions_deleted_total";
        public const string StreamGrains = "stream_grains";
        public const string LiveSubscribers = "live_subscribers";
        public const string LiveRecords = "live_records_total";
        public const string IngestSockets = "ingest_sockets";
        public const string IngestAcks = "ingest_acks_total";
        public const string SiloDraining = "silo_draining";
        public const string SiloStarted = "silo_started";
        public const string TrainerLeader = "trainer_leader";
        public const string TrainerCycles = "trainer_cycles_total";
        public const string TrainerRefreshDuration = "trainer_refresh_duration_seconds";
        public const string TrainerHeldoutPsnr = "trainer_heldout_psnr_db";
        public const string TrainerCodesUsed = "trainer_codes_used";
        public const string TrainerPerplexity = "trainer_codebook_perplexity";
        public const string TrainerDeadCodes = "trainer_dead_codes_reseeded";
        public const string TrainSamples = "train_samples_total";
        public const string TrainSamplesNotKept = "train_samples_not_kept_total";
        public const string TrainSamplesDropped = "train_samples_dropped_total";
        public const string TrainSampleQueueDepth = "train_sample_queue_depth";
        public const string ReservoirSamples = "train_reservoir_samples";
        public const string ReservoirStreams = "train_reservoir_streams";
    }
}

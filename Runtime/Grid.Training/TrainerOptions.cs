namespace Grid.Training;

/// <summary>
/// Settings of the training grain: its reminder tick, frame sampling into the reservoir, the refresh cycle and model
/// retention (section <c>Grid:Trainer</c> of the silo; docs/trainer.md). Defaults size a CPU cycle of the default
/// architecture at about a minute on two cores.
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>
    /// Whether the trainer grain works when it is active on this silo (sampling runs either way). A cluster-wide
    /// setting: give every silo the same value.
    /// </summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Period of the trainer grain's Redis-backed reminder: each tick starts a queued or due cycle and runs retention,
    /// and (re)activates the grain on a live silo after the one hosting it died.
    /// </summary>
    public double TickSeconds { get; init; } = 30;

    /// <summary>Minutes between scheduled refresh cycles; 0: only on request (<c>POST /v1/models/refresh</c>).</summary>
    public double RefreshMinutes { get; init; } = 60;

    /// <summary>A scheduled cycle waits until at least this many samples were written to the reservoir since the last cycle.</summary>
    public int MinNewSamples { get; init; } = 32;

    /// <summary>One stored frame in this many is sampled into the reservoir; 0 disables sampling.</summary>
    public int SampleEvery { get; init; } = 10;

    /// <summary>One sampled frame in this many goes to the held-out part (chosen by a hash of stream and sequence).</summary>
    public int HeldOutEvery { get; init; } = 5;

    /// <summary>A sample is the frame cropped to at most this many pixels per side (at a hash-chosen position), as PNG.</summary>
    public int SampleSide { get; init; } = 256;

    /// <summary>Training samples kept per stream (Algorithm R over the stream's sampled frames).</summary>
    public int StreamCapacity { get; init; } = 64;

    /// <summary>Held-out samples kept per stream (Algorithm R too).</summary>
    public int HeldOutCapacity { get; init; } = 16;

    /// <summary>Streams kept in the reservoir; the one sampled least recently is dropped for a new one.</summary>
    public int MaxStreams { get; init; } = 64;

    /// <summary>A stream's samples expire this many hours after its last sample.</summary>
    public double ReservoirTtlHours { get; init; } = 168;

    /// <summary>Samples waiting for the background writer; when full, new samples are dropped (never waited for).</summary>
    public int SampleQueue { get; init; } = 32;

    /// <summary>Most training samples one cycle reads, drawn equally from the streams.</summary>
    public int MaxTrainSamples { get; init; } = 512;

    /// <summary>Most held-out samples one cycle evaluates, drawn equally from the streams.</summary>
    public int MaxHeldOutSamples { get; init; } = 64;

    /// <summary>A cycle with fewer training samples is rejected without training.</summary>
    public int MinTrainSamples { get; init; } = 16;

    /// <summary>A cycle with fewer held-out samples is rejected without training.</summary>
    public int MinHeldOutSamples { get; init; } = 4;

    /// <summary>Training crops whose encoder outputs the k-means refresh clusters.</summary>
    public int KMeansCrops { get; init; } = 256;

    /// <summary>Most Lloyd iterations of the k-means refresh (warm-started from the current codebook).</summary>
    public int KMeansIterations { get; init; } = 15;

    /// <summary>Fine-tuning steps after the codebook refresh.</summary>
    public int FineTuneSteps { get; init; } = 200;

    /// <summary>Crops per fine-tuning step.</summary>
    public int Batch { get; init; } = 16;

    /// <summary>Side of the training crops (a multiple of 4).</summary>
    public int Crop { get; init; } = 64;

    /// <summary>Peak learning rate of the fine-tune (linear warm-up over a tenth of the steps, cosine decay).</summary>
    public float LearningRate { get; init; } = 1e-4f;

    /// <summary>Whether the fine-tune also updates the encoder (the decoder always; the codebook never).</summary>
    public bool TrainEncoder { get; init; }

    /// <summary>
    /// Whether a published candidate gets a learned context prior trained on the cycle's training samples, so that its
    /// stream frames are coded with the learned model rather than the baseline one (docs/trainer.md).
    /// </summary>
    public bool TrainPrior { get; init; } = true;

    /// <summary>A candidate is published only if its held-out PSNR is at least the current model's minus this (dB).</summary>
    public double MarginDb { get; init; }

    /// <summary>The newest model versions always kept (besides the current one and every version a stored frame names).</summary>
    public int KeepVersions { get; init; } = 4;

    /// <summary>
    /// A version to delete is first marked retiring (VQF appends naming it are refused from then on) and deleted by a
    /// later pass at least this long after, if still no frame names it.
    /// </summary>
    public double RetentionGraceSeconds { get; init; } = 600;

    /// <summary>CPU threads of the trainer's own libtorch calls (the codec keeps its own count).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Nice value of the trainer thread (0 to 19; higher yields more readily to the codec).</summary>
    public int Nice { get; init; } = 10;

    /// <summary>Cycle records kept in <c>grid:train:cycles</c>.</summary>
    public int CycleHistory { get; init; } = 100;

    /// <summary>Seed of the refresh's crops, k-means and fine-tune (mixed with the cycle id).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Device of the trainer's models: "cpu" or "cuda:N".</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The reminder's period as a span.</summary>
    public TimeSpan Tick => TimeSpan.FromSeconds(TickSeconds);

    /// <summary>Lists every invalid setting, named as <c>Trainer:Key</c> (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Range(string key, double value, double min, double max)
        {
            if (!(value >= min && value <= max))
            {
                errors.Add($"Trainer:{key} is {value}; it must be between {min} and {max}");
            }
        }
        Range(nameof(TickSeconds), TickSeconds, 1, 3600);
        Range(nameof(RefreshMinutes), RefreshMinutes, 0, 525_600);
        Range(nameof(MinNewSamples), MinNewSamples, 0, 1_000_000);
        Range(nameof(SampleEvery), SampleEvery, 0, 1_000_000);
        Range(nameof(HeldOutEvery), HeldOutEvery, 2, 1000);
        Range(nameof(SampleSide), SampleSide, 16, 4096);
        Range(nameof(StreamCapacity), StreamCapacity, 1, 100_000);
        Range(nameof(HeldOutCapacity), HeldOutCapacity, 1, 100_000);
        Range(nameof(MaxStreams), MaxStreams, 1, 100_000);
        Range(nameof(ReservoirTtlHours), ReservoirTtlHours, 0.01, 87_600);
        Range(nameof(SampleQueue), SampleQueue, 1, 10_000);
        Range(nameof(MaxTrainSamples), MaxTrainSamples, 1, 100_000);
        Range(nameof(MaxHeldOutSamples), MaxHeldOutSamples, 1, 100_000);
        Range(nameof(MinTrainSamples), MinTrainSamples, 1, MaxTrainSamples);
        Range(nameof(MinHeldOutSamples), MinHeldOutSamples, 1, MaxHeldOutSamples);
        Range(nameof(KMeansCrops), KMeansCrops, 1, 100_000);
        Range(nameof(KMeansIterations), KMeansIterations, 1, 1000);
        Range(nameof(FineTuneSteps), FineTuneSteps, 0, 1_000_000);
        Range(nameof(Batch), Batch, 1, 4096);
        Range(nameof(LearningRate), LearningRate, 1e-8, 1);
        Range(nameof(MarginDb), MarginDb, 0, 100);
        Range(nameof(KeepVersions), KeepVersions, 1, 10_000);
        Range(nameof(RetentionGraceSeconds), RetentionGraceSeconds, 0, 31_536_000);
        Range(nameof(Threads), Threads, 1, 1024);
        Range(nameof(Nice), Nice, 0, 19);
        Range(nameof(CycleHistory), CycleHistory, 1, 100_000);
        if (Crop < 8 || Crop % Native.ModelConfig.Downsample != 0)
        {
            errors.Add($"Trainer:Crop is {Crop}; it must be a multiple of {Native.ModelConfig.Downsample} and at least 8");
        }
        if (SampleSide < Crop)
        {
            errors.Add($"Trainer:SampleSide ({SampleSide}) must be at least Trainer:Crop ({Crop})");
        }
        if (string.IsNullOrWhiteSpace(Device))
        {
            errors.Add("Trainer:Device is empty; expected cpu or cuda:N");
        }
        return errors;
    }
}

using Grid.Native;

namespace Grid.Training;

/// <summary>
/// Everything a training run needs; defaults are the configuration that won the ablation in docs/training.md.
/// </summary>
public sealed record TrainOptions
{
    /// <summary>Directories whose image files are trained on.</summary>
    public required IReadOnlyList<string> TrainDirectories { get; init; }

    /// <summary>Held-out directories used for validation; never trained on.</summary>
    public IReadOnlyList<string> ValidationDirectories { get; init; } = [];

    /// <summary>Where weights, card, checkpoints and the CSV log go.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Step budget; exactly one of <see cref="Steps"/> and <see cref="Minutes"/> is set (neither on resume: the original budget).</summary>
    public long? Steps { get; init; }

    /// <summary>Wall-clock budget; the step count is fixed from the speed of the first steps.</summary>
    public double? Minutes { get; init; }

    public int Batch { get; init; } = 32;
    public int Crop { get; init; } = 64;
    public ulong Seed { get; init; } = 1;
    public float LearningRate { get; init; } = 3e-4f;
    public int WarmupSteps { get; init; } = 200;

    /// <summary>Cosine decay ends at this fraction of the peak learning rate.</summary>
    public float MinLearningRateFraction { get; init; } = 0.05f;

    public float GradientClipNorm { get; init; } = 1.0f;
    public CodebookMode CodebookMode { get; init; } = CodebookMode.Ema;
    public bool KMeansInit { get; init; } = true;

    /// <summary>Batches whose encoder outputs seed the k-means codebook initialisation.</summary>
    public int KMeansBatches { get; init; } = 4;

    /// <summary>Usage EMA (assignments per step) below which a code is re-seeded; 0 disables restarts.</summary>
    public float DeadCodeThreshold { get; init; } = 2f;

    public ModelConfig Model { get; init; } = new();

    /// <summary>
    /// Parts the run does not update, e.g. encoder and codebook for a decoder-only fine-tune of a trained model: its
    /// frames keep their indices and the decoder alone learns to reconstruct them better.
    /// </summary>
    public IReadOnlyList<ModelPart> Frozen { get; init; } = [];

    public int ValidateEvery { get; init; } = 500;
    public int CheckpointEvery { get; init; } = 500;

    /// <summary>Continue from the newest checkpoint in the output directory.</summary>
    public bool Resume { get; init; }

    /// <summary>
    /// A model directory whose weights start a new run (fine-tuning): its architecture replaces <see cref="Model"/>,
    /// its codebook replaces k-means initialisation; the optimiser, warm-up and schedule start afresh.
    /// </summary>
    public string? InitFrom { get; init; }

    /// <summary>Version number written into the trained model's card (and so into its frames).</summary>
    public uint Version { get; init; } = 1;

    public string Device { get; init; } = "cpu";

    /// <summary>The command line, recorded in the card for reproducibility.</summary>
    public string? Command { get; init; }

    /// <summary>Lists every invalid setting (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (TrainDirectories.Count == 0)
        {
            errors.Add("at least one training data directory is required");
        }
        if (Resume && InitFrom is not null)
        {
            errors.Add("--init starts a new run from a model and --resume continues one from its checkpoint: give one of them");
        }
        if (Resume && Minutes is not null)
        {
            errors.Add("--resume continues to a step count: give --steps, or nothing to finish the original run");
        }
        else if (!Resume && (Steps is null) == (Minutes is null))
        {
            errors.Add("give exactly one of --steps and --minutes");
        }
        if (Steps is <= 0)
        {
            errors.Add("--steps must be positive");
        }
        if (Minutes is <= 0)
        {
            errors.Add("--minutes must be positive");
        }
        if (Batch is < 1 or > 4096)
        {
            errors.Add($"--batch must be in 1..4096 (got {Batch})");
        }
        if (Crop < 8 || Crop % ModelConfig.Downsample != 0)
        {
            errors.Add($"--crop must be a multiple of {ModelConfig.Downsample} and at least 8 (got {Crop})");
        }
        if (!(LearningRate > 0))
        {
            errors.Add("--lr must be positive");
        }
        if (WarmupSteps < 0)
        {
            errors.Add("--warmup must not be negative");
        }
        if (MinLearningRateFraction is < 0 or > 1)
        {
            errors.Add("the minimum learning-rate fraction must be in 0..1");
        }
        if (DeadCodeThreshold < 0)
        {
            errors.Add("--dead-code-threshold must not be negative");
        }
        if (KMeansBatches < 1)
        {
            errors.Add("the k-means initialisation needs at least 1 batch (KMeansBatches)");
        }
        if (Frozen.Distinct().Count() == Enum.GetValues<ModelPart>().Length)
        {
            errors.Add("--freeze: at least one of encoder, decoder and codebook must train");
        }
        if (Resume && Frozen.Count > 0)
        {
            errors.Add("--resume continues with the checkpoint's frozen parts: drop --freeze");
        }
        if (ValidateEvery < 1 || CheckpointEvery < 1)
        {
            errors.Add("--validate-every and --checkpoint-every must be positive");
        }
        return errors;
    }
}

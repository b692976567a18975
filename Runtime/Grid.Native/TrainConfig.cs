namespace Grid.Native;

/// <summary>Settings of a <see cref="NativeTrainer"/> (GridTrainConfig in grid_native.h), with its defaults.</summary>
public sealed record TrainConfig
{
    /// <summary>Adam's first-moment decay.</summary>
    public float AdamBeta1 { get; init; } = 0.9f;

    /// <summary>Adam's second-moment decay.</summary>
    public float AdamBeta2 { get; init; } = 0.999f;

    /// <summary>Adam's denominator epsilon.</summary>
    public float AdamEpsilon { get; init; } = 1e-8f;

    /// <summary>L2 weight decay added to gradients (0: none).</summary>
    public float WeightDecay { get; init; }

    /// <summary>Beta: weight of the commitment loss ||z_e - sg[e]||^2.</summary>
    public float CommitmentCost { get; init; } = 0.25f;

    /// <summary>The reconstruction MSE is divided by this (the data's variance in model units).</summary>
    public float DataVariance { get; init; } = 1f;

    /// <summary>Global L2 gradient norm limit; zero or less disables clipping.</summary>
    public float GradientClipNorm { get; init; } = 1f;

    /// <summary>How the codebook is updated.</summary>
    public CodebookMode Mode { get; init; } = CodebookMode.Ema;

    /// <summary>Decay of the EMA codebook statistics and of the per-code usage EMA.</summary>
    public float EmaDecay { get; init; } = 0.99f;

    /// <summary>Laplace smoothing of EMA cluster sizes.</summary>
    public float EmaEpsilon { get; init; } = 1e-5f;

    /// <summary>
    /// A code whose usage EMA (assignments per step) falls below this is re-seeded from a random encoder output of
    /// the current batch; zero or less disables restarts.
    /// </summary>
    public float DeadCodeThreshold { get; init; } = 2f;

    /// <summary>Whether encoder weights are updated (false: decoder-only fine-tuning).</summary>
    public bool TrainEncoder { get; init; } = true;

    /// <summary>Whether decoder weights are updated.</summary>
    public bool TrainDecoder { get; init; } = true;

    /// <summary>Whether the codebook is updated (by gradient or EMA) and dead codes are restarted.</summary>
    public bool TrainCodebook { get; init; } = true;

    /// <summary>Seeds the trainer's own generator (dead-code restart choices).</summary>
    public ulong Seed { get; init; }

    internal Interop.GridNative.GridTrainConfig ToNative() => new()
    {
        AdamBeta1 = AdamBeta1,
        AdamBeta2 = AdamBeta2,
        AdamEpsilon = AdamEpsilon,
        WeightDecay = WeightDecay,
        CommitmentCost = CommitmentCost,
        DataVariance = DataVariance,
        GradientClipNorm = GradientClipNorm,
        CodebookMode = (int)Mode,
        EmaDecay = EmaDecay,
        EmaEpsilon = EmaEpsilon,
        DeadCodeThreshold = DeadCodeThreshold,
        TrainEncoder = TrainEncoder ? 1 : 0,
        TrainDecoder = TrainDecoder ? 1 : 0,
        TrainCodebook = TrainCodebook ? 1 : 0,
        Seed = Seed,
    };
}

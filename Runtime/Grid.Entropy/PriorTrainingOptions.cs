namespace Grid.Entropy;

/// <summary>Settings of <see cref="PriorTrainer"/>; the defaults are what the shipped prior was trained with.</summary>
public sealed class PriorTrainingOptions
{
    /// <summary>Pseudo-count of the marginal distribution mixed into every conditional row (smoothing).</summary>
    public double Smoothing { get; set; } = 24;

    /// <summary>Sum the learned match-stage starting counts of a context are scaled to (how strongly they resist adapting).</summary>
    public double MatchConfidence { get; set; } = 256;

    /// <summary>Sum the learned inter-frame starting counts of a context are scaled to.</summary>
    public double InterConfidence { get; set; } = 128;

    /// <summary>Pseudo-count of the marginal in the mixing coder's static bit probabilities.</summary>
    public double MixSmoothing { get; set; } = 2;

    /// <summary>Passes over the training maps that fit the mixers' starting weights (the last one is averaged).</summary>
    public int MixEpochs { get; set; } = 2;

    /// <summary>Learning rate of the escape mixer while fitting.</summary>
    public int EscapeRate { get; set; } = 6;

    /// <summary>Learning rate of the repeat mixer while fitting.</summary>
    public int HitRate { get; set; } = 4;

    /// <summary>Starting weight of every mixer input before fitting (65536 = 1.0).</summary>
    public int InitialWeight { get; set; } = 1 << 14;

    /// <summary>Order the codes along the mixing coder's binary tree by co-occurrence (spectral order) instead of by index.</summary>
    public bool SpectralOrder { get; set; } = true;
}

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
}

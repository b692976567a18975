namespace Grid.Entropy;

/// <summary>
/// The learned context model of one model's codebook (shipped as <c>prior.bin</c> beside the weights, format in
/// docs/entropy-coding.md). All of it is integers: four tables of quantised conditional distributions
/// P(index | neighbour) as cumulative rows, mixing weights per context class, the starting counts of the adaptive
/// match stage, and the starting counts of the inter-frame "same as the previous frame" decision.
/// </summary>
public sealed class ContextPrior
{
    /// <summary>Neighbour tables: left, top, top-right, top-left.</summary>
    public const int Tables = 4;

    /// <summary>Activity levels: the sum over the four neighbours of 0 (matched slot 0), 1 (another slot), 2 (escaped).</summary>
    public const int Activities = 9;

    /// <summary>Match stage alphabet: up to four distinct neighbour values, then escape.</summary>
    public const int Slots = Tables + 1;

    /// <summary>Mixture components of the escape distribution: the four neighbour tables, then the frame's adaptive counts.</summary>
    public const int Components = Tables + 1;

    /// <summary>Increment of the frame's adaptive index counts.</summary>
    public const uint AdaptiveIncrement = 16;

    /// <summary>Largest total of the frame's adaptive index counts (equal to <see cref="RowTotal"/>, so the weight bound holds).</summary>
    public const uint AdaptiveLimit = RowTotal;

    /// <summary>Mixing-weight classes: activity x number of distinct neighbours (0..4).</summary>
    public const int WeightClasses = Activities * (Tables + 1);

    /// <summary>Contexts of the inter-frame decision (six bits, see <see cref="ContextCoder"/>).</summary>
    public const int InterContexts = 64;

    /// <summary>Largest sum of one class's weights: <c>15 * RowTotal + K</c> stays within the coder's 16-bit totals.</summary>
    public const int MaxWeightSum = 15;

    /// <summary>Sum of every quantised row.</summary>
    public const int RowTotal = 4096;

    internal ContextPrior(
        int codebookSize, uint modelFingerprint, ushort[] rows, byte[] weights, ushort[] matchInit, ushort[] interInit)
    {
        CodebookSize = codebookSize;
        ModelFingerprint = modelFingerprint;
        Rows = rows;
        Weights = weights;
        MatchInit = matchInit;
        InterInit = interInit;
    }

    /// <summary>K, the codebook size this prior codes.</summary>
    public int CodebookSize { get; }

    /// <summary>Fingerprint of the model whose codebook produced the training indices.</summary>
    public uint ModelFingerprint { get; }

    /// <summary>Fingerprint of the serialised prior (first 4 bytes of its SHA-256); frames name it. 0 until read or written.</summary>
    public uint Fingerprint { get; internal set; }

    /// <summary>
    /// Fingerprint of the format 1 prior inside this one (the tables of <see cref="Grid.Contracts.Frames.FrameCoding.Learned"/>
    /// frames): equal to <see cref="Fingerprint"/> for a format 1 file; for format 2, the fingerprint of the embedded
    /// format 1 file, so frames coded with it keep decoding.
    /// </summary>
    public uint LegacyFingerprint { get; internal set; }

    /// <summary>The prior file's format version: 1 (learned coder only) or 2 (also the mixing coder).</summary>
    public int FormatVersion => Mix is null ? 1 : 2;

    /// <summary>The mixing coder's tables (format 2), or null.</summary>
    internal MixTables? Mix { get; set; }

    /// <summary>The embedded format 1 file of a format 2 prior (null for format 1).</summary>
    internal byte[]? LegacyFile { get; set; }

    /// <summary>Number of match-stage contexts: neighbour patterns x activity levels.</summary>
    public static int MatchContexts => NeighbourPattern.Count * Activities;

    /// <summary>[table][row 0..K][K + 1] cumulative; row K is used for an absent neighbour.</summary>
    internal ushort[] Rows { get; }

    /// <summary>[class][component] mixing weights, each class summing to at most <see cref="MaxWeightSum"/>.</summary>
    internal byte[] Weights { get; }

    /// <summary>[match context][slot] starting counts (each at least 1).</summary>
    internal ushort[] MatchInit { get; }

    /// <summary>[inter context][miss, hit] starting counts (each at least 1).</summary>
    internal ushort[] InterInit { get; }

    internal int RowStride => CodebookSize + 1;

    internal ReadOnlySpan<ushort> Row(int table, int neighbour)
    {
        int row = neighbour < 0 ? CodebookSize : neighbour;
        return Rows.AsSpan(((table * RowStride) + row) * RowStride, RowStride);
    }
}

namespace Grid.Entropy;

/// <summary>
/// The learned tables of the mixing coder (prior format 2, docs/entropy-coding.md): static 12-bit bit
/// probabilities along the binary tree of the index for each neighbour value (left, top, top-right, top-left, and
/// the previous frame's index), the order-0 escape probabilities, the probability per previous index that it
/// repeats, and the starting weights of the two mixers. All integers.
/// </summary>
internal sealed class MixTables
{
    /// <summary>Static tables: left, top, top-right, top-left (escapes of key frames), previous frame (escapes of inter frames).</summary>
    public const int Tables = 5;

    /// <summary>Step of the stored stretched escape probabilities (a byte covers -2032..2032).</summary>
    public const int EscapeStep = 16;

    /// <summary>Inputs of the escape mixer.</summary>
    public const int EscapeInputs = 16;

    /// <summary>Inputs of the "same as the previous frame" mixer.</summary>
    public const int HitInputs = 6;

    /// <summary>
    /// Weight sets of the "same as the previous frame" mixer: changed causal neighbours (0..4) x previous equals left;
    /// then, for the second selection, changed positions of the wider causal window (0..4+) x the previous frame's smoothness.
    /// </summary>
    public const int HitSets = 10 + (5 * 16);

    /// <summary>Contexts of the adaptive second hit table: the six inter bits x four bits of the previous frame's smoothness.</summary>
    public const int HitContexts2 = ContextPrior.InterContexts * 16;

    /// <summary>Inputs of the match mixer.</summary>
    public const int MatchInputs = 6;

    /// <summary>Where the match mixer's second selection starts: (key, inter) x slot x distinct neighbours come first.</summary>
    public const int MatchSecondBase = 2 * ContextPrior.Tables * (ContextPrior.Tables + 1);

    /// <summary>Weight sets of the match mixer: (key, inter) x slot x distinct neighbours, then (key, inter) x slot x activity.</summary>
    public const int MatchSets = MatchSecondBase + (2 * ContextPrior.Tables * ContextPrior.Activities);

    public MixTables(
        int codebookSize, ushort[] order, sbyte[] escape, ushort[] order0, ushort[] hitByCode, ushort[] hitByContext, ushort[] repeat,
        int[] escapeWeights, int[] hitWeights, int[] matchWeights)
    {
        Repeat = repeat;
        Order = order;
        Rank = new ushort[codebookSize];
        for (int i = 0; i < codebookSize; i++)
        {
            Rank[order[i]] = (ushort)i;
        }

        MatchWeights = matchWeights;
        HitByContext = hitByContext;
        CodebookSize = codebookSize;
        Bits = BitsFor(codebookSize);
        Escape = escape;
        Order0 = order0;
        HitByCode = hitByCode;
        EscapeWeights = escapeWeights;
        HitWeights = hitWeights;
    }

    public int CodebookSize { get; }

    /// <summary>Depth of the binary tree: ceil(log2 K).</summary>
    public int Bits { get; }

    /// <summary>Nodes per row (2^Bits; node 0 unused).</summary>
    public int Nodes => 1 << Bits;

    /// <summary>
    /// Weight sets of the escape mixer: (key, inter) x distinct neighbours (0..4) x depth, then (key, inter) x
    /// activity (0..8) x depth for the second selection.
    /// </summary>
    public int EscapeSets => SetsFor(Bits);

    public static int SetsFor(int bits) => (2 * (ContextPrior.Tables + 1) * bits) + (2 * ContextPrior.Activities * bits);

    public static int SecondSetBase(int bits) => 2 * (ContextPrior.Tables + 1) * bits;

    /// <summary>
    /// [table][row 0..K (K: absent)][node] the probability that the next bit is 1, stretched (ln(p / (1 - p)) x 256)
    /// and stored in steps of <see cref="EscapeStep"/>.
    /// </summary>
    public sbyte[] Escape { get; }

    /// <summary>[node] 12-bit probabilities of escaped indices.</summary>
    public ushort[] Order0 { get; }

    /// <summary>[previous index] 12-bit probability that it repeats.</summary>
    public ushort[] HitByCode { get; }

    /// <summary>[inter context] 12-bit starting probability that the previous index repeats.</summary>
    public ushort[] HitByContext { get; }

    /// <summary>[position in the tree] the code there: the order in which the binary tree holds the K codes.</summary>
    public ushort[] Order { get; }

    /// <summary>[code] its position in <see cref="Order"/>.</summary>
    public ushort[] Rank { get; }

    /// <summary>[slot][index] 12-bit probability that an index equals the neighbour of that slot when it is that index.</summary>
    public ushort[] Repeat { get; }

    /// <summary>[set][input] starting weights of the match mixer.</summary>
    public int[] MatchWeights { get; }

    /// <summary>[set][input] starting weights of the escape mixer.</summary>
    public int[] EscapeWeights { get; }

    /// <summary>[set][input] starting weights of the hit mixer.</summary>
    public int[] HitWeights { get; }

    public static int BitsFor(int codebookSize)
    {
        int bits = 1;
        while ((1 << bits) < codebookSize)
        {
            bits++;
        }

        return bits;
    }

    public int EscapeRow(int table, int neighbour) => ((table * (CodebookSize + 1)) + (neighbour < 0 ? CodebookSize : neighbour)) * Nodes;
}

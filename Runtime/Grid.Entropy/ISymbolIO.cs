namespace Grid.Entropy;

/// <summary>
/// One side of the coder: the encoder codes the symbol it is given, the decoder ignores it and returns the symbol
/// it reads. The models run the same code for both sides through this interface, so they cannot drift apart.
/// </summary>
internal interface ISymbolIO
{
    /// <summary>Codes a symbol of a small alphabet with the given frequencies (0 = impossible).</summary>
    int Small(scoped ReadOnlySpan<uint> frequencies, uint total, int symbol);

    /// <summary>Codes a symbol of the escape distribution.</summary>
    int Escape(scoped EscapeDistribution distribution, int symbol);

    /// <summary>Codes a bit whose probability of being 1 is <paramref name="p12"/> / 4096 (1..4095).</summary>
    int Bit(int p12, int bit);

    /// <summary>Codes a symbol of an adaptive order-0 distribution.</summary>
    int Adaptive(FrequencyTree tree, int symbol);
}

namespace Grid.Entropy;

/// <summary>The encoding side of <see cref="ISymbolIO"/>.</summary>
internal readonly struct EncoderIO(RangeEncoder encoder) : ISymbolIO
{
    public int Small(scoped ReadOnlySpan<uint> frequencies, uint total, int symbol)
    {
        uint cumulative = 0;
        for (int i = 0; i < symbol; i++)
        {
            cumulative += frequencies[i];
        }

        encoder.Encode(cumulative, frequencies[symbol], total);
        return symbol;
    }

    public int Escape(scoped EscapeDistribution distribution, int symbol)
    {
        uint low = distribution.Cumulative(symbol);
        encoder.Encode(low, distribution.Cumulative(symbol + 1) - low, distribution.Total);
        return symbol;
    }

    public int Bit(int p12, int bit)
    {
        encoder.EncodeBit(p12, bit);
        return bit;
    }

    public int Adaptive(FrequencyTree tree, int symbol)
    {
        encoder.Encode(tree.Prefix(symbol), tree.Frequency(symbol), tree.Total);
        return symbol;
    }
}

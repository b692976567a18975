namespace Grid.Entropy;

/// <summary>The decoding side of <see cref="ISymbolIO"/>.</summary>
internal ref struct DecoderIO(ReadOnlySpan<byte> payload) : ISymbolIO
{
    private RangeDecoder _decoder = new(payload);

    public readonly int Overrun => _decoder.Overrun;

    public readonly int Position => _decoder.Position;

    public int Small(scoped ReadOnlySpan<uint> frequencies, uint total, int symbol)
    {
        uint value = _decoder.GetFrequency(total);
        uint cumulative = 0;
        int s = 0;
        while (true)
        {
            uint next = cumulative + frequencies[s];
            if (value < next || s == frequencies.Length - 1)
            {
                break;
            }

            cumulative = next;
            s++;
        }

        _decoder.Decode(cumulative, frequencies[s]);
        return s;
    }

    public int Escape(scoped EscapeDistribution distribution, int symbol)
    {
        uint value = _decoder.GetFrequency(distribution.Total);
        int x = distribution.Find(value);
        uint low = distribution.Cumulative(x);
        _decoder.Decode(low, distribution.Cumulative(x + 1) - low);
        return x;
    }

    public int Bit(int p12, int bit) => _decoder.DecodeBit(p12);

    public int Adaptive(FrequencyTree tree, int symbol)
    {
        uint value = _decoder.GetFrequency(tree.Total);
        int x = tree.Find(value);
        _decoder.Decode(tree.Prefix(x), tree.Frequency(x));
        return x;
    }
}

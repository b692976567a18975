namespace Grid.Entropy;

/// <summary>
/// The learned distribution of an index that matched none of its neighbours: a fixed-point linear mixture of four
/// learned conditional rows (given the left, top, top-right and top-left index) and of the frame's own adaptive
/// index counts, plus 1 for every symbol so that
/// all K codes stay codable, with the symbols already ruled out (the neighbours themselves) removed. Cumulative
/// frequencies come straight from the rows' prefix sums, so coding a symbol costs a few lookups, and decoding a
/// binary search over them; no per-symbol arrays are built.
/// </summary>
internal readonly ref struct EscapeDistribution
{
    private readonly ReadOnlySpan<ushort> _row0;
    private readonly ReadOnlySpan<ushort> _row1;
    private readonly ReadOnlySpan<ushort> _row2;
    private readonly ReadOnlySpan<ushort> _row3;
    private readonly uint _w0;
    private readonly uint _w1;
    private readonly uint _w2;
    private readonly uint _w3;
    private readonly FrequencyTree _adaptive;
    private readonly uint _wa;
    private readonly int _symbols;
    private readonly ReadOnlySpan<int> _excluded;

    /// <summary>
    /// Mixes four cumulative rows of K + 1 entries (first 0, last the row total) and the frame's adaptive order-0
    /// counts with five small weights, minus
    /// the distinct <paramref name="excluded"/> symbols (ascending).
    /// </summary>
    public EscapeDistribution(
        ReadOnlySpan<ushort> row0, ReadOnlySpan<ushort> row1, ReadOnlySpan<ushort> row2, ReadOnlySpan<ushort> row3,
        ReadOnlySpan<byte> weights, FrequencyTree adaptive, ReadOnlySpan<int> excluded)
    {
        _row0 = row0;
        _row1 = row1;
        _row2 = row2;
        _row3 = row3;
        _w0 = weights[0];
        _w1 = weights[1];
        _w2 = weights[2];
        _w3 = weights[3];
        _wa = weights[4];
        _adaptive = adaptive;
        _symbols = row0.Length - 1;
        _excluded = excluded;
        uint total = Base(_symbols);
        foreach (int symbol in excluded)
        {
            total -= Base(symbol + 1) - Base(symbol);
        }

        Total = total;
    }

    public uint Total { get; }

    /// <summary>Total frequency of the symbols below <paramref name="symbol"/> (0..K).</summary>
    public uint Cumulative(int symbol)
    {
        uint value = Base(symbol);
        foreach (int excluded in _excluded)
        {
            if (excluded >= symbol)
            {
                break;
            }

            value -= Base(excluded + 1) - Base(excluded);
        }

        return value;
    }

    /// <summary>The symbol whose range holds <paramref name="value"/> (below <see cref="Total"/>); never an excluded one.</summary>
    public int Find(uint value)
    {
        int low = 0;
        int high = _symbols;
        while (high - low > 1)
        {
            int middle = (low + high) >> 1;
            if (Cumulative(middle) <= value)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private uint Base(int symbol) =>
        (_w0 * _row0[symbol]) + (_w1 * _row1[symbol]) + (_w2 * _row2[symbol]) + (_w3 * _row3[symbol])
        + (_wa == 0 ? 0 : _wa * _adaptive.Prefix(symbol)) + (uint)symbol;
}

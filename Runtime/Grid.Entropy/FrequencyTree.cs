namespace Grid.Entropy;

/// <summary>
/// Adaptive order-0 frequencies of K symbols in a Fenwick tree: every symbol starts at 1 (so every code stays
/// codable), each coded symbol adds <see cref="Increment"/>, and all counts halve (staying at least 1) before the
/// total would pass the limit (at most <see cref="RangeEncoder.MaxTotal"/>).
/// </summary>
internal sealed class FrequencyTree
{
    private readonly uint[] _counts;
    private readonly uint[] _tree;
    private readonly int _topBit;
    private readonly uint _limit;

    public FrequencyTree(int symbols, uint increment = 24, uint limit = RangeEncoder.MaxTotal)
    {
        Increment = increment;
        _limit = limit;
        _counts = new uint[symbols];
        _tree = new uint[symbols + 1];
        _topBit = 1;
        while (_topBit * 2 <= symbols)
        {
            _topBit *= 2;
        }

        _counts.AsSpan().Fill(1);
        Rebuild();
    }

    public uint Total { get; private set; }

    public uint Increment { get; }

    public uint Frequency(int symbol) => _counts[symbol];

    /// <summary>Sum of the counts of symbols below <paramref name="symbol"/>.</summary>
    public uint Prefix(int symbol)
    {
        uint sum = 0;
        for (int i = symbol; i > 0; i -= i & -i)
        {
            sum += _tree[i];
        }

        return sum;
    }

    /// <summary>The symbol whose range [Prefix(s), Prefix(s + 1)) holds <paramref name="value"/> (below <see cref="Total"/>).</summary>
    public int Find(uint value)
    {
        int position = 0;
        for (int step = _topBit; step > 0; step >>= 1)
        {
            int next = position + step;
            if (next < _tree.Length && _tree[next] <= value)
            {
                position = next;
                value -= _tree[next];
            }
        }

        return position;
    }

    public void Add(int symbol)
    {
        if (Total + Increment > _limit)
        {
            for (int i = 0; i < _counts.Length; i++)
            {
                _counts[i] = (_counts[i] + 1) / 2;
            }

            Rebuild();
        }

        _counts[symbol] += Increment;
        Total += Increment;
        for (int i = symbol + 1; i < _tree.Length; i += i & -i)
        {
            _tree[i] += Increment;
        }
    }

    private void Rebuild()
    {
        Array.Clear(_tree);
        uint total = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            total += _counts[i];
            for (int j = i + 1; j < _tree.Length; j += j & -j)
            {
                _tree[j] += _counts[i];
            }
        }

        Total = total;
    }
}

namespace Grid.Entropy;

/// <summary>
/// The learned coder. Positions are coded in raster order; each one in up to three steps, all with integer counts:
/// <list type="number">
/// <item>inter frames only: "same index as the previous frame here?" (adaptive binary, six context bits: whether
/// each of the four neighbours kept its previous-frame index, whether that index equals the left / top one);</item>
/// <item>the match stage: which of the distinct neighbour indices (left, top, top-right, top-left) it is, or
/// escape; context = the neighbours' equality pattern and the local activity; adaptive counts that start from the
/// learned ones;</item>
/// <item>on escape: the learned mixture <see cref="EscapeDistribution"/> with the neighbours excluded; its
/// fifth component counts the indices of this frame so far.</item>
/// </list>
/// Encoder and decoder run this same method (through <see cref="ISymbolIO"/>), so they cannot disagree.
/// </summary>
internal static class ContextCoder
{
    private const uint MatchIncrement = 32;
    private const uint MatchLimit = 1 << 13;
    private const uint InterIncrement = 32;
    private const uint InterLimit = 1 << 12;

    public static void Run<TIO>(ref TIO io, Span<ushort> map, int width, int height, ContextPrior prior, ReadOnlySpan<ushort> previous, bool encoding)
        where TIO : ISymbolIO, allows ref struct
    {
        bool inter = !previous.IsEmpty;
        uint[] match = new uint[prior.MatchInit.Length];
        for (int i = 0; i < match.Length; i++)
        {
            match[i] = prior.MatchInit[i];
        }

        uint[] interCounts = new uint[prior.InterInit.Length];
        for (int i = 0; i < interCounts.Length; i++)
        {
            interCounts[i] = prior.InterInit[i];
        }

        byte[] surprise = new byte[map.Length];
        var adaptive = new FrequencyTree(prior.CodebookSize, ContextPrior.AdaptiveIncrement, ContextPrior.AdaptiveLimit);
        Span<uint> frequencies = stackalloc uint[ContextPrior.Slots];
        Span<int> candidates = stackalloc int[ContextPrior.Tables];
        Span<int> excluded = stackalloc int[ContextPrior.Tables + 1];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int pos = (y * width) + x;
                int left = x > 0 ? map[pos - 1] : -1;
                int top = y > 0 ? map[pos - width] : -1;
                int topRight = y > 0 && x < width - 1 ? map[pos - width + 1] : -1;
                int topLeft = y > 0 && x > 0 ? map[pos - width - 1] : -1;
                int activity = (x > 0 ? surprise[pos - 1] : 1) + (top >= 0 ? surprise[pos - width] : 1)
                    + (topRight >= 0 ? surprise[pos - width + 1] : 1) + (topLeft >= 0 ? surprise[pos - width - 1] : 1);
                int symbol = encoding ? map[pos] : 0;
                int same = -1;
                if (inter)
                {
                    same = previous[pos];
                    int context = (left < 0 || left == previous[pos - 1] ? 1 : 0)
                        | (top < 0 || top == previous[pos - width] ? 2 : 0)
                        | (topRight < 0 || topRight == previous[pos - width + 1] ? 4 : 0)
                        | (topLeft < 0 || topLeft == previous[pos - width - 1] ? 8 : 0)
                        | (same == left ? 16 : 0)
                        | (same == top ? 32 : 0);
                    Span<uint> counts = interCounts.AsSpan(context * 2, 2);
                    int hit = io.Small(counts, counts[0] + counts[1], symbol == same ? 1 : 0);
                    Adapt(counts, hit, InterIncrement, InterLimit);
                    if (hit == 1)
                    {
                        map[pos] = (ushort)same;
                        surprise[pos] = 0;
                        adaptive.Add(same);
                        continue;
                    }
                }

                int n = 0;
                int key = (Label(left, candidates, ref n))
                    | (Label(top, candidates, ref n) << 3)
                    | (Label(topRight, candidates, ref n) << 6)
                    | (Label(topLeft, candidates, ref n) << 9);
                int matchContext = (NeighbourPattern.Id(key) * ContextPrior.Activities) + activity;
                Span<uint> slotCounts = match.AsSpan(matchContext * ContextPrior.Slots, ContextPrior.Slots);
                uint total = 0;
                int slotSymbol = ContextPrior.Tables;
                for (int j = 0; j < ContextPrior.Tables; j++)
                {
                    frequencies[j] = j < n && candidates[j] != same ? slotCounts[j] : 0;
                    total += frequencies[j];
                    if (j < n && candidates[j] == symbol)
                    {
                        slotSymbol = j;
                    }
                }

                frequencies[ContextPrior.Tables] = slotCounts[ContextPrior.Tables];
                total += slotCounts[ContextPrior.Tables];
                int slot = io.Small(frequencies, total, slotSymbol);
                Adapt(slotCounts, slot, MatchIncrement, MatchLimit);
                if (slot < ContextPrior.Tables)
                {
                    map[pos] = (ushort)candidates[slot];
                    surprise[pos] = (byte)(slot == 0 ? 0 : 1);
                    adaptive.Add(candidates[slot]);
                    continue;
                }

                int excludedCount = SortedDistinct(candidates[..n], same, excluded);
                var distribution = new EscapeDistribution(
                    prior.Row(0, left), prior.Row(1, top), prior.Row(2, topRight), prior.Row(3, topLeft),
                    prior.Weights.AsSpan(((activity * (ContextPrior.Tables + 1)) + n) * ContextPrior.Components, ContextPrior.Components),
                    adaptive,
                    excluded[..excludedCount]);
                int value = io.Escape(distribution, symbol);
                map[pos] = (ushort)value;
                surprise[pos] = 2;
                adaptive.Add(value);
            }
        }
    }

    /// <summary>The slot of <paramref name="value"/> among the distinct candidates so far (adding it if new), or Absent.</summary>
    internal static int Label(int value, Span<int> candidates, ref int n)
    {
        if (value < 0)
        {
            return NeighbourPattern.Absent;
        }

        for (int j = 0; j < n; j++)
        {
            if (candidates[j] == value)
            {
                return j;
            }
        }

        candidates[n] = value;
        return n++;
    }

    internal static void Adapt(Span<uint> counts, int symbol, uint increment, uint limit)
    {
        counts[symbol] += increment;
        uint total = 0;
        foreach (uint count in counts)
        {
            total += count;
        }

        if (total > limit)
        {
            for (int i = 0; i < counts.Length; i++)
            {
                counts[i] = (counts[i] + 1) / 2;
            }
        }
    }

    internal static int SortedDistinct(ReadOnlySpan<int> candidates, int extra, Span<int> destination)
    {
        int count = 0;
        foreach (int value in candidates)
        {
            destination[count++] = value;
        }

        if (extra >= 0 && !candidates.Contains(extra))
        {
            destination[count++] = extra;
        }

        destination[..count].Sort();
        return count;
    }
}

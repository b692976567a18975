namespace Grid.Entropy;

/// <summary>
/// The untrained adaptive baseline (issue 18): every index is coded with its left and top neighbours as context,
/// from counts that start uniform and adapt as the frame is coded. Inter frames first code "same index as the
/// previous frame?" with the left neighbour's own "same as before?" and "equals the left index?" as context. Then
/// "equals the left / top index, or escape" (context: which of the two exist and whether they are equal), and an
/// escaped index from adaptive order-0 counts over all K codes.
/// </summary>
internal static class BaselineCoder
{
    private const int Slots = 3;
    private const uint Increment = 32;
    private const uint Limit = 1 << 13;

    public static void Run<TIO>(ref TIO io, Span<ushort> map, int width, int height, int codebookSize, ReadOnlySpan<ushort> previous, bool encoding)
        where TIO : ISymbolIO, allows ref struct
    {
        bool inter = !previous.IsEmpty;
        uint[] interCounts = [1, 1, 1, 1, 1, 1, 1, 1];
        uint[] match = new uint[(1 << 6) * Slots];
        match.AsSpan().Fill(1);
        var escapes = new FrequencyTree(codebookSize);
        Span<uint> frequencies = stackalloc uint[Slots];
        Span<int> candidates = stackalloc int[2];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int pos = (y * width) + x;
                int left = x > 0 ? map[pos - 1] : -1;
                int top = y > 0 ? map[pos - width] : -1;
                int symbol = encoding ? map[pos] : 0;
                int same = -1;
                if (inter)
                {
                    same = previous[pos];
                    int context = (left < 0 || left == previous[pos - 1] ? 1 : 0) | (same == left ? 2 : 0);
                    Span<uint> counts = interCounts.AsSpan(context * 2, 2);
                    int hit = io.Small(counts, counts[0] + counts[1], symbol == same ? 1 : 0);
                    ContextCoder.Adapt(counts, hit, Increment, Limit);
                    if (hit == 1)
                    {
                        map[pos] = (ushort)same;
                        continue;
                    }
                }

                int n = 0;
                int key = ContextCoder.Label(left, candidates, ref n) | (ContextCoder.Label(top, candidates, ref n) << 3);
                Span<uint> slotCounts = match.AsSpan(key * Slots, Slots);
                uint total = 0;
                int slotSymbol = 2;
                for (int j = 0; j < 2; j++)
                {
                    frequencies[j] = j < n && candidates[j] != same ? slotCounts[j] : 0;
                    total += frequencies[j];
                    if (j < n && candidates[j] == symbol)
                    {
                        slotSymbol = j;
                    }
                }

                frequencies[2] = slotCounts[2];
                total += slotCounts[2];
                int slot = io.Small(frequencies, total, slotSymbol);
                ContextCoder.Adapt(slotCounts, slot, Increment, Limit);
                if (slot < 2)
                {
                    map[pos] = (ushort)candidates[slot];
                    continue;
                }

                int value = io.Adaptive(escapes, symbol);
                escapes.Add(value);
                map[pos] = (ushort)value;
            }
        }
    }
}

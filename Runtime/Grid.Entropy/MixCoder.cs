using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Grid.Entropy;

/// <summary>
/// The mixing coder (<c>FrameCoding.Mixing</c>, prior format 2). Positions in raster order, each in up to three
/// steps:
/// <list type="number">
/// <item>inter frames: "same index as the previous frame here?", a binary decision whose probability mixes (in
/// the logistic domain) the learned counts of the six inter context bits, the learned repeat rate of the previous
/// index, and adaptive counts of both and of the previous frame's smoothness around the position;</item>
/// <item>the match stage of the learned coder (which distinct neighbour it equals, or escape);</item>
/// <item>an escaped index, bit by bit down a binary tree of the K codes: each bit mixes static learned
/// probabilities given the left, top, top-right and top-left index (and, in inter frames, the previous frame's
/// index), the learned order-0 probabilities, and adaptive probabilities of this frame given the left index, the
/// top index, both, all four neighbours, none, and (inter) the previous index alone and with the left one. Bits
/// that the excluded neighbours decide are not coded.</item>
/// </list>
/// Every probability is an integer with a floor of 1/4096; the mixers and adaptive tables are integer too, so the
/// bytes are the same on every machine. Encoder, decoder and trainer run this one method. Given a second reference
/// (the frame before the previous one: <c>FrameCoding.MixingHistory</c>, coding 4) an inter frame also uses
/// what <see cref="HistoryModel"/> adds; without one the bytes are exactly coding 3's.
/// </summary>
internal static class MixCoder
{
    /// <summary>Learning rate of the match mixer (the trainer fits its starting weights with the same).</summary>
    internal const int MatchRate = 8;

    /// <summary>Learning rate of the escape mixer.</summary>
    internal const int EscapeRate = 8;

    /// <summary>Learning rate of the "same as the previous frame" mixer.</summary>
    internal const int HitRate = 8;

    private const int RefineRate = 6;
    private const int AdaptiveLimit = 255;
    private const int HitInitCount = 24;
    private const int HitWideContexts = 9 * 4 * 16;

    /// <summary>The hashed table of the last frame coded, pinned, kept for the next (null while a frame uses it).</summary>
    private static uint[]? s_spareTable;

    /// <summary>Codes (or decodes into) <paramref name="map"/>.</summary>
    /// <param name="io">The encoding or decoding side.</param>
    /// <param name="map">The indices (decoding: filled in).</param>
    /// <param name="width">Latent columns.</param>
    /// <param name="height">Latent rows.</param>
    /// <param name="prior">A prior of format 2.</param>
    /// <param name="previous">The previous frame's indices for an inter frame; empty for a key frame.</param>
    /// <param name="encoding">Whether <paramref name="io"/> encodes.</param>
    /// <param name="escapeMixer">The trainer's escape mixer (its weights are fitted by coding); null: the prior's.</param>
    /// <param name="hitMixer">The trainer's hit mixer (coding 3 only; coding 4 always builds its own); null: the prior's.</param>
    /// <param name="matchMixer">The trainer's match mixer; null: the prior's.</param>
    /// <param name="history">For coding 4: the <see cref="ReferenceHistory"/> up to the previous frame; empty otherwise.</param>
    public static unsafe void Run<TIO>(
        ref TIO io, Span<ushort> map, int width, int height, ContextPrior prior, ReadOnlySpan<ushort> previous, bool encoding,
        Mixer? escapeMixer = null, Mixer? hitMixer = null, Mixer? matchMixer = null, ReadOnlySpan<ushort> history = default)
        where TIO : ISymbolIO, allows ref struct
    {
        MixTables mix = prior.Mix ?? throw new ArgumentException("the prior has no mixing tables (prior format 1)", nameof(prior));
        bool inter = !previous.IsEmpty;
        int k = prior.CodebookSize;
        int bits = mix.Bits;
        int nodes = mix.Nodes;
        uint[] match = new uint[prior.MatchInit.Length];
        for (int i = 0; i < match.Length; i++)
        {
            match[i] = prior.MatchInit[i];
        }

        escapeMixer ??= new Mixer(MixTables.EscapeInputs, mix.EscapeSets, mix.EscapeWeights, EscapeRate);
        matchMixer ??= new Mixer(MixTables.MatchInputs, MixTables.MatchSets, mix.MatchWeights, MatchRate);
        uint[] repeat = new uint[ContextPrior.Tables * k];
        repeat.AsSpan().Fill(BitState.Fresh);
        uint[] matchState = new uint[ContextPrior.MatchContexts * ContextPrior.Tables];
        matchState.AsSpan().Fill(BitState.Fresh);
        // Coding 4 (a second reference): the hit mixer has the flicker input and a weight set per flicker state.
        bool two = inter && !history.IsEmpty;
        HistoryModel? back = two ? new HistoryModel(k) : null;
        hitMixer = two
            ? new Mixer(HistoryModel.HitInputs, HistoryModel.HitSets, HistoryModel.HitWeights(mix.HitWeights), HitRate)
            : hitMixer ?? new Mixer(MixTables.HitInputs, MixTables.HitSets, mix.HitWeights, HitRate);

        // Adaptive tables of this frame.
        uint[] hitContext = new uint[ContextPrior.InterContexts];
        uint[] hitCode = new uint[k];
        uint[] hitContext2 = new uint[MixTables.HitContexts2];
        if (inter)
        {
            for (int c = 0; c < hitContext.Length; c++)
            {
                hitContext[c] = BitState.Of(mix.HitByContext[c], HitInitCount);
            }

            hitCode.AsSpan().Fill(BitState.Fresh);
            hitContext2.AsSpan().Fill(BitState.Fresh);
        }

        int tableBits = Math.Clamp(BitLength(map.Length) + 5, 12, 22);
        // The hashed table is the coder's biggest piece of memory (4 MiB for 192x144) and its lookups miss the cache: it
        // is reused from frame to frame (pinned), and each escape step prefetches the entries of both possible next nodes.
        uint[] tableArray = RentTable(1 << tableBits);
        Span<uint> adaptive = tableArray.AsSpan(0, 1 << tableBits);
        adaptive.Fill(BitState.Fresh);
        uint* table = (uint*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(tableArray));
        int shift = 32 - tableBits;
        uint[] slots = new uint[7];
        int[] at = new int[7];
        int[] statics = new int[6];

        byte[] surprise = new byte[map.Length];
        Span<uint> frequencies = stackalloc uint[ContextPrior.Slots];
        Span<int> candidates = stackalloc int[ContextPrior.Tables];
        Span<int> excluded = stackalloc int[ContextPrior.Tables + 2 + HistoryModel.OlderQuestions];
        Span<int> refusedOlder = stackalloc int[HistoryModel.OlderQuestions];
        Span<byte> moved = inter ? new byte[map.Length] : default;
        var escapeRefiner = new Refiner(nodes, RefineRate);
        var hitRefiner = new Refiner(HitWideContexts, RefineRate);
        uint[] far = new uint[4 * bits];
        far.AsSpan().Fill(BitState.Of(3072, 2));
        uint[] hitWide = new uint[HitWideContexts];
        hitWide.AsSpan().Fill(BitState.Fresh);

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
                int refusedBack = -1;
                int olderCount = 0;
                if (inter)
                {
                    same = previous[pos];
                    int kept = (left < 0 || left == previous[pos - 1] ? 1 : 0)
                        | (top < 0 || top == previous[pos - width] ? 2 : 0)
                        | (topRight < 0 || topRight == previous[pos - width + 1] ? 4 : 0)
                        | (topLeft < 0 || topLeft == previous[pos - width - 1] ? 8 : 0);
                    int context = kept | (same == left ? 16 : 0) | (same == top ? 32 : 0);
                    int smooth = (x < width - 1 && previous[pos + 1] == same ? 1 : 0)
                        | (y < height - 1 && previous[pos + width] == same ? 2 : 0)
                        | (x > 0 && previous[pos - 1] == same ? 4 : 0)
                        | (y > 0 && previous[pos - width] == same ? 8 : 0);
                    int context2 = (context * 16) + smooth;
                    int wide = Moved(moved, x - 1, y, width) + Moved(moved, x - 2, y, width) + Moved(moved, x - 2, y - 1, width)
                        + Moved(moved, x - 1, y - 1, width) + Moved(moved, x, y - 1, width) + Moved(moved, x + 1, y - 1, width)
                        + Moved(moved, x + 2, y - 1, width) + Moved(moved, x, y - 2, width);
                    int contextWide = (((wide * 4) + (same == left ? 2 : 0) + (same == top ? 1 : 0)) * 16) + smooth;
                    int keptNeighbours = System.Numerics.BitOperations.PopCount((uint)kept);
                    hitMixer.Add(Logistic.Stretch(BitState.P12(hitContext[context])));
                    hitMixer.Add(Logistic.Stretch(mix.HitByCode[same]));
                    hitMixer.Add(Logistic.Stretch(BitState.P12(hitCode[same])));
                    hitMixer.Add(Logistic.Stretch(BitState.P12(hitContext2[context2])));
                    hitMixer.Add(Logistic.Stretch(BitState.P12(hitWide[contextWide])));
                    hitMixer.Add(256);
                    int sets = 0;
                    if (back is not null)
                    {
                        sets = back.Look(previous, history, x, y, width, height, smooth, wide) * MixTables.HitSets;
                        hitMixer.Add(back.FlickerInput);
                    }

                    int p = hitMixer.Mix(sets + (keptNeighbours * 2) + (same == left ? 1 : 0), sets + 10 + (Math.Min(wide, 4) * 16) + smooth);
                    p = hitRefiner.Refine(p, contextWide);
                    if (back is not null)
                    {
                        p = back.Refine(p);
                    }

                    int hit = io.Bit(p, symbol == same ? 1 : 0);
                    hitMixer.Update(hit);
                    hitRefiner.Update(hit);
                    back?.UpdateHit(hit);
                    hitContext[context] = BitState.Update(hitContext[context], hit, AdaptiveLimit);
                    hitCode[same] = BitState.Update(hitCode[same], hit, AdaptiveLimit);
                    hitContext2[context2] = BitState.Update(hitContext2[context2], hit, AdaptiveLimit);
                    hitWide[contextWide] = BitState.Update(hitWide[contextWide], hit, AdaptiveLimit);
                    if (hit == 1)
                    {
                        map[pos] = (ushort)same;
                        surprise[pos] = 0;
                        continue;
                    }

                    moved[pos] = 1;
                    int twoBack = back is null ? -1 : history[pos * ReferenceHistory.Slots];
                    if (back is not null && twoBack != same)
                    {
                        // Coding 4: "the index two frames back?", then ruled out of the stages below like the previous index.
                        int candidate = twoBack;
                        int slotOf = candidate == left ? 0 : candidate == top ? 1 : candidate == topRight ? 2 : candidate == topLeft ? 3 : 4;
                        int agree = (x < width - 1 && previous[pos + 1] == candidate ? 1 : 0) + (y < height - 1 && previous[pos + width] == candidate ? 1 : 0);
                        int pb = back.Back(candidate, slotOf, agree, wide);
                        int yesBack = io.Bit(pb, symbol == candidate ? 1 : 0);
                        back.UpdateBack(yesBack);
                        if (yesBack == 1)
                        {
                            map[pos] = (ushort)candidate;
                            surprise[pos] = 1;
                            continue;
                        }

                        refusedBack = candidate;
                    }

                    if (back is not null)
                    {
                        // Coding 4: the older indices of the position's history, most recent first; each refused one is ruled out too.
                        ReadOnlySpan<ushort> older = history.Slice((pos * ReferenceHistory.Slots) + 2, ReferenceHistory.Slots - 2);
                        int found = -1;
                        foreach (ushort candidate in older)
                        {
                            if (candidate == ReferenceHistory.None || candidate == same || candidate == twoBack || olderCount == HistoryModel.OlderQuestions)
                            {
                                continue;
                            }

                            int slotOf = candidate == left ? 0 : candidate == top ? 1 : candidate == topRight ? 2 : candidate == topLeft ? 3 : 4;
                            int po = back.Older(candidate, slotOf, refusedBack >= 0, olderCount);
                            int yesOlder = io.Bit(po, symbol == candidate ? 1 : 0);
                            back.UpdateOlder(yesOlder);
                            refusedOlder[olderCount++] = candidate;
                            if (yesOlder == 1)
                            {
                                found = candidate;
                                break;
                            }
                        }

                        if (found >= 0)
                        {
                            map[pos] = (ushort)found;
                            surprise[pos] = 1;
                            continue;
                        }
                    }
                }

                int n = 0;
                int key = ContextCoder.Label(left, candidates, ref n)
                    | (ContextCoder.Label(top, candidates, ref n) << 3)
                    | (ContextCoder.Label(topRight, candidates, ref n) << 6)
                    | (ContextCoder.Label(topLeft, candidates, ref n) << 9);
                int matchContext = (NeighbourPattern.Id(key) * ContextPrior.Activities) + activity;
                if (Sse.IsSupported)
                {
                    // The pair entries of every candidate, looked up below one after another: fetched together.
                    for (int j = 0; j < n; j++)
                    {
                        Sse.Prefetch0(table + ((Hash(8 + j, candidates[j], j == 0 ? top : left) + 0x9E3779B1u) >> shift));
                    }
                }

                Span<uint> slotCounts = match.AsSpan(matchContext * ContextPrior.Slots, ContextPrior.Slots);
                uint remaining = slotCounts[ContextPrior.Tables];
                for (int j = 0; j < n; j++)
                {
                    remaining += candidates[j] != same && candidates[j] != refusedBack && !refusedOlder[..olderCount].Contains(candidates[j]) ? slotCounts[j] : 0;
                }

                // Which neighbour it equals, one yes/no question per distinct neighbour: the adaptive counts of the
                // neighbour pattern, mixed with how often this very index repeats (learned, and in this frame).
                int slot = ContextPrior.Tables;
                for (int j = 0; j < n; j++)
                {
                    int v = candidates[j];
                    if (v == same || v == refusedBack || refusedOlder[..olderCount].Contains(v))
                    {
                        continue;
                    }

                    int counted = (int)Math.Clamp((slotCounts[j] * 4096L) / remaining, 1, 4095);
                    int repeatAt = (j * k) + v;
                    uint pairHash = Hash(8 + j, v, j == 0 ? top : left);
                    int pairAt = (int)((pairHash + 0x9E3779B1u) >> shift);
                    matchMixer.Add(Logistic.Stretch(counted));
                    matchMixer.Add(Logistic.Stretch(mix.Repeat[repeatAt]));
                    matchMixer.Add(Logistic.Stretch(BitState.P12(repeat[repeatAt])));
                    matchMixer.Add(Logistic.Stretch(BitState.P12(adaptive[pairAt])));
                    matchMixer.Add(Logistic.Stretch(BitState.P12(matchState[(matchContext * ContextPrior.Tables) + j])));
                    matchMixer.Add(256);
                    int interSet = inter ? 1 : 0;
                    int pm = matchMixer.Mix(
                        (((interSet * ContextPrior.Tables) + j) * (ContextPrior.Tables + 1)) + n,
                        MixTables.MatchSecondBase + (((interSet * ContextPrior.Tables) + j) * ContextPrior.Activities) + activity);
                    int yes = io.Bit(pm, symbol == v ? 1 : 0);
                    matchMixer.Update(yes);
                    repeat[repeatAt] = BitState.Update(repeat[repeatAt], yes, AdaptiveLimit);
                    adaptive[pairAt] = BitState.Update(adaptive[pairAt], yes, AdaptiveLimit);
                    matchState[(matchContext * ContextPrior.Tables) + j] = BitState.Update(matchState[(matchContext * ContextPrior.Tables) + j], yes, AdaptiveLimit);
                    if (yes == 1)
                    {
                        slot = j;
                        break;
                    }

                    remaining -= slotCounts[j];
                }

                ContextCoder.Adapt(slotCounts, slot, 32, 1 << 13);
                if (slot < ContextPrior.Tables)
                {
                    map[pos] = (ushort)candidates[slot];
                    surprise[pos] = (byte)(slot == 0 ? 0 : 1);
                    continue;
                }

                int excludedCount = ContextCoder.SortedDistinct(candidates[..n], same, excluded);
                if (refusedBack >= 0 && !excluded[..excludedCount].Contains(refusedBack))
                {
                    excluded[excludedCount++] = refusedBack;
                }

                for (int o = 0; o < olderCount; o++)
                {
                    if (!excluded[..excludedCount].Contains(refusedOlder[o]))
                    {
                        excluded[excludedCount++] = refusedOlder[o];
                    }
                }

                for (int e = 0; e < excludedCount; e++)
                {
                    excluded[e] = mix.Rank[excluded[e]];
                }

                excluded[..excludedCount].Sort();
                ReadOnlySpan<int> ruledOut = excluded[..excludedCount];
                int target = encoding ? mix.Rank[symbol] : 0;
                statics[0] = mix.EscapeRow(0, left);
                statics[1] = mix.EscapeRow(1, top);
                statics[2] = mix.EscapeRow(2, topRight);
                statics[3] = mix.EscapeRow(3, topLeft);
                statics[4] = inter ? mix.EscapeRow(4, same) : -1;
                slots[0] = Hash(1, left, 0);
                slots[1] = Hash(2, top, 0);
                slots[2] = Hash(3, left, top);
                slots[3] = Hash(4, (left * 4099) + top, (topRight * 4099) + topLeft);
                slots[4] = Hash(5, 0, 0);
                slots[5] = Hash(6, same, 0);
                slots[6] = Hash(7, same, left);
                int adaptiveInputs = inter ? 7 : 5;

                // Two more candidates, followed bit by bit while their path agrees: key frames the indices two to
                // the left and two up, inter frames the previous frame's right and lower neighbours.
                int far0 = inter ? (x < width - 1 ? previous[pos + 1] : -1) : (x > 1 ? map[pos - 2] : -1);
                int far1 = inter ? (y < height - 1 ? previous[pos + width] : -1) : (y > 1 ? map[pos - (2 * width)] : -1);
                far0 = far0 < 0 ? -1 : mix.Rank[far0];
                far1 = far1 < 0 ? -1 : mix.Rank[far1];
                if (far0 >= 0 && ruledOut.Contains(far0))
                {
                    far0 = -1;
                }

                if (far1 >= 0 && (far1 == far0 || ruledOut.Contains(far1)))
                {
                    far1 = -1;
                }

                int farBase = inter ? 2 * bits : 0;
                int secondBase = MixTables.SecondSetBase(bits) + (((inter ? ContextPrior.Activities : 0) + activity) * bits);
                int setBase = ((inter ? ContextPrior.Tables + 1 : 0) + n) * bits;
                int node = 1;
                int low = 0;
                Prefetch(table, slots, adaptiveInputs, node, shift);
                for (int d = 0; d < bits; d++)
                {
                    if (d + 1 < bits)
                    {
                        Prefetch(table, slots, adaptiveInputs, node * 2, shift);
                        Prefetch(table, slots, adaptiveInputs, (node * 2) + 1, shift);
                    }

                    int size = 1 << (bits - 1 - d);
                    int want = (target >> (bits - 1 - d)) & 1;
                    int bit;
                    bool zeroOpen = Open(low, size, k, ruledOut);
                    bool oneOpen = Open(low + size, size, k, ruledOut);
                    if (!zeroOpen || !oneOpen)
                    {
                        bit = zeroOpen ? 0 : 1;
                    }
                    else
                    {
                        for (int t = 0; t < 5; t++)
                        {
                            escapeMixer.Add(statics[t] < 0 ? 0 : mix.Escape[statics[t] + node] * MixTables.EscapeStep);
                        }

                        escapeMixer.Add(Logistic.Stretch(mix.Order0[node]));
                        for (int a = 0; a < slots.Length; a++)
                        {
                            at[a] = (int)((slots[a] + ((uint)node * 0x9E3779B1u)) >> shift);
                            escapeMixer.Add(a < adaptiveInputs ? Logistic.Stretch(BitState.P12(adaptive[at[a]])) : 0);
                        }

                        int e0 = far0 >= 0 && ((far0 ^ low) >> (bits - d)) == 0 ? ((far0 >> (bits - 1 - d)) & 1) : -1;
                        int e1 = far1 >= 0 && ((far1 ^ low) >> (bits - d)) == 0 ? ((far1 >> (bits - 1 - d)) & 1) : -1;
                        int f0 = farBase + d;
                        int f1 = farBase + bits + d;
                        escapeMixer.Add(e0 < 0 ? 0 : (e0 == 1 ? 1 : -1) * Logistic.Stretch(BitState.P12(far[f0])));
                        escapeMixer.Add(e1 < 0 ? 0 : (e1 == 1 ? 1 : -1) * Logistic.Stretch(BitState.P12(far[f1])));
                        escapeMixer.Add(256);
                        int p = escapeMixer.Mix(setBase + d, secondBase + d);
                        p = escapeRefiner.Refine(p, node);
                        bit = io.Bit(p, want);
                        escapeMixer.Update(bit);
                        escapeRefiner.Update(bit);
                        for (int a = 0; a < adaptiveInputs; a++)
                        {
                            adaptive[at[a]] = BitState.Update(adaptive[at[a]], bit, AdaptiveLimit);
                        }

                        if (e0 >= 0)
                        {
                            far[f0] = BitState.Update(far[f0], bit == e0 ? 1 : 0, AdaptiveLimit);
                        }

                        if (e1 >= 0)
                        {
                            far[f1] = BitState.Update(far[f1], bit == e1 ? 1 : 0, AdaptiveLimit);
                        }
                    }

                    node = (node * 2) + bit;
                    low += bit * size;
                }

                map[pos] = mix.Order[low];
                surprise[pos] = 2;
            }
        }

        s_spareTable = tableArray;
    }

    /// <summary>A pinned table of at least <paramref name="length"/> entries: the spare one if it is free and big enough.</summary>
    private static uint[] RentTable(int length)
    {
        uint[]? spare = Interlocked.Exchange(ref s_spareTable, null);
        return spare is not null && spare.Length >= length ? spare : GC.AllocateUninitializedArray<uint>(length, pinned: true);
    }

    /// <summary>Prefetches the adaptive entries of <paramref name="node"/> (a hint to the cache: it changes no value).</summary>
    private static unsafe void Prefetch(uint* table, uint[] slots, int count, int node, int shift)
    {
        if (Sse.IsSupported)
        {
            uint step = (uint)node * 0x9E3779B1u;
            for (int a = 0; a < count; a++)
            {
                Sse.Prefetch0(table + ((slots[a] + step) >> shift));
            }
        }
    }

    private static int Moved(Span<byte> moved, int x, int y, int width) =>
        x >= 0 && y >= 0 && x < width ? moved[(y * width) + x] : 0;

    /// <summary>Whether [low, low + size) holds a codable symbol (below K and not ruled out).</summary>
    private static bool Open(int low, int size, int k, ReadOnlySpan<int> ruledOut)
    {
        if (low >= k)
        {
            return false;
        }

        int open = Math.Min(low + size, k) - low;
        if (open > ruledOut.Length)
        {
            return true;
        }

        foreach (int value in ruledOut)
        {
            if (value >= low && value < low + size)
            {
                open--;
            }
        }

        return open > 0;
    }

    private static uint Hash(int kind, int a, int b)
    {
        uint h = (uint)(kind * -1640531535) ^ ((uint)(a + 2) * 0x85EBCA6Bu) ^ ((uint)(b + 2) * 0xC2B2AE35u);
        h ^= h >> 15;
        h *= 0x2C1B3C6Du;
        h ^= h >> 12;
        h *= 0x297A2D39u;
        h ^= h >> 15;
        return h;
    }

    private static int BitLength(long value)
    {
        int length = 0;
        while (value > 0)
        {
            length++;
            value >>= 1;
        }

        return length;
    }
}

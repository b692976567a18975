namespace Grid.Entropy;

/// <summary>
/// Fits the escape mixture's integer weights: first one vector for all training escapes, then one per class
/// (activity x distinct neighbours) with enough escapes, each by coordinate descent (move one unit of weight
/// between tables, or add or remove one) on the exact code length the coder would spend.
/// </summary>
internal static class WeightFitter
{
    private const int MinEventsPerClass = 500;

    public static void Fit(ContextPrior prior, List<EscapeEvent> escapes, Func<int, int, double> ownShare, IProgress<string>? progress)
    {
        int k = prior.CodebookSize;
        var features = new Feature[escapes.Count];
        Span<int> distinct = stackalloc int[ContextPrior.Tables];
        for (int i = 0; i < escapes.Count; i++)
        {
            EscapeEvent e = escapes[i];
            ReadOnlySpan<ushort> rows = [e.Left, e.Top, e.TopRight, e.TopLeft];
            int n = 0;
            foreach (ushort row in rows)
            {
                if (row < k && !distinct[..n].Contains(row))
                {
                    distinct[n++] = row;
                }
            }

            var feature = new Feature { Class = e.Class, Excluded = n };
            for (int t = 0; t < ContextPrior.Tables; t++)
            {
                ReadOnlySpan<ushort> cumulative = prior.Row(t, rows[t] == k ? -1 : rows[t]);
                int excludedMass = 0;
                foreach (int c in distinct[..n])
                {
                    excludedMass += cumulative[c + 1] - cumulative[c];
                }

                // Leave-one-out: the rows were counted with this very escape in them, which would make them look
                // more certain than they are on new images (and starve the adaptive component).
                double own = ownShare(t, rows[t]);
                feature.SetTable(t, Math.Max(0, cumulative[e.Symbol + 1] - cumulative[e.Symbol] - own), ContextPrior.RowTotal - excludedMass - own);
            }

            feature.A4 = e.Adaptive;
            feature.E4 = e.AdaptiveRemaining;
            features[i] = feature;
        }

        int[] global = Descend(features, [4, 4, 2, 1, 2], k);
        double globalBits = Bits(features, global, k);
        progress?.Report($"escape weights: {features.Length:N0} training escapes, global (left, top, top-right, top-left, adaptive) = ({string.Join(", ", global)}), {globalBits / Math.Max(1, features.Length):F3} bits each");
        for (int c = 0; c < ContextPrior.WeightClasses; c++)
        {
            Feature[] members = [.. features.Where(f => f.Class == c)];
            int[] weights = members.Length >= MinEventsPerClass ? Descend(members, global, k) : global;
            for (int t = 0; t < ContextPrior.Components; t++)
            {
                prior.Weights[(c * ContextPrior.Components) + t] = (byte)weights[t];
            }
        }
    }

    private static int[] Descend(Feature[] features, int[] start, int k)
    {
        int[] best = (int[])start.Clone();
        double bestBits = Bits(features, best, k);
        bool improved = true;
        while (improved)
        {
            improved = false;
            foreach (int[] candidate in Neighbours(best))
            {
                double bits = Bits(features, candidate, k);
                if (bits < bestBits - 1e-6)
                {
                    best = candidate;
                    bestBits = bits;
                    improved = true;
                }
            }
        }

        return best;
    }

    private static IEnumerable<int[]> Neighbours(int[] weights)
    {
        int sum = weights.Sum();
        for (int i = 0; i < weights.Length; i++)
        {
            if (sum < ContextPrior.MaxWeightSum)
            {
                int[] up = (int[])weights.Clone();
                up[i]++;
                yield return up;
            }

            if (weights[i] > 0 && sum > 1)
            {
                int[] down = (int[])weights.Clone();
                down[i]--;
                yield return down;
                for (int j = 0; j < weights.Length; j++)
                {
                    if (j != i)
                    {
                        int[] move = (int[])weights.Clone();
                        move[i]--;
                        move[j]++;
                        yield return move;
                    }
                }
            }
        }
    }

    private static double Bits(Feature[] features, int[] w, int k)
    {
        double bits = 0;
        foreach (Feature f in features)
        {
            double frequency = (w[0] * f.A0) + (w[1] * f.A1) + (w[2] * f.A2) + (w[3] * f.A3) + (w[4] * f.A4) + 1;
            double total = (w[0] * f.E0) + (w[1] * f.E1) + (w[2] * f.E2) + (w[3] * f.E3) + (w[4] * f.E4) + k - f.Excluded;
            bits += Math.Log2(total / frequency);
        }

        return bits;
    }

    private struct Feature
    {
        public int Class;
        public int Excluded;
        public double A0;
        public double A1;
        public double A2;
        public double A3;
        public double A4;
        public double E0;
        public double E1;
        public double E2;
        public double E3;
        public double E4;

        public void SetTable(int table, double frequency, double remaining)
        {
            switch (table)
            {
                case 0:
                    A0 = frequency;
                    E0 = remaining;
                    break;
                case 1:
                    A1 = frequency;
                    E1 = remaining;
                    break;
                case 2:
                    A2 = frequency;
                    E2 = remaining;
                    break;
                default:
                    A3 = frequency;
                    E3 = remaining;
                    break;
            }
        }
    }
}

namespace Grid.Entropy;

/// <summary>
/// Learns a <see cref="ContextPrior"/> from index maps of training images (key-frame statistics) and, optionally,
/// consecutive frames of training videos (inter-frame statistics): neighbour co-occurrence counts smoothed with
/// the marginal and quantised to integer rows, match-stage outcome frequencies as starting counts, and mixing
/// weights fitted per context class by coordinate descent on the code length of the training escapes. Floating
/// point is used here only; what it produces is integers, and coding uses nothing else.
/// </summary>
public sealed class PriorTrainer
{
    private readonly int _k;
    private readonly PriorTrainingOptions _options;
    private readonly long[] _pairs;
    private readonly long[] _marginal;
    private readonly long[] _match;
    private readonly long[] _inter = new long[ContextPrior.InterContexts * 2];
    private readonly List<EscapeEvent> _escapes = [];

    public PriorTrainer(int codebookSize, PriorTrainingOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(codebookSize, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(codebookSize, 4096);
        _k = codebookSize;
        _options = options ?? new PriorTrainingOptions();
        _pairs = new long[ContextPrior.Tables * (_k + 1) * _k];
        _marginal = new long[_k];
        _match = new long[ContextPrior.MatchContexts * ContextPrior.Slots];
    }

    /// <summary>Index maps added so far.</summary>
    public int Maps { get; private set; }

    /// <summary>Indices added so far.</summary>
    public long Positions { get; private set; }

    /// <summary>Adds the spatial statistics of one index map.</summary>
    public void AddKeyFrame(IndexMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        IndexCoder.CheckRange(map.Indices, _k, nameof(map));
        int width = map.Width;
        ushort[] m = map.Indices;
        byte[] surprise = new byte[m.Length];
        var adaptive = new FrequencyTree(_k, ContextPrior.AdaptiveIncrement, ContextPrior.AdaptiveLimit);
        Span<int> candidates = stackalloc int[ContextPrior.Tables];
        Span<int> neighbours = stackalloc int[ContextPrior.Tables];
        for (int y = 0; y < map.Height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int pos = (y * width) + x;
                int symbol = m[pos];
                neighbours[0] = x > 0 ? m[pos - 1] : -1;
                neighbours[1] = y > 0 ? m[pos - width] : -1;
                neighbours[2] = y > 0 && x < width - 1 ? m[pos - width + 1] : -1;
                neighbours[3] = y > 0 && x > 0 ? m[pos - width - 1] : -1;
                int activity = (x > 0 ? surprise[pos - 1] : 1) + (neighbours[1] >= 0 ? surprise[pos - width] : 1)
                    + (neighbours[2] >= 0 ? surprise[pos - width + 1] : 1) + (neighbours[3] >= 0 ? surprise[pos - width - 1] : 1);
                _marginal[symbol]++;
                for (int t = 0; t < ContextPrior.Tables; t++)
                {
                    int row = neighbours[t] < 0 ? _k : neighbours[t];
                    _pairs[(((t * (_k + 1)) + row) * _k) + symbol]++;
                }

                int n = 0;
                int key = ContextCoder.Label(neighbours[0], candidates, ref n)
                    | (ContextCoder.Label(neighbours[1], candidates, ref n) << 3)
                    | (ContextCoder.Label(neighbours[2], candidates, ref n) << 6)
                    | (ContextCoder.Label(neighbours[3], candidates, ref n) << 9);
                int slot = candidates[..n].IndexOf(symbol);
                if (slot < 0)
                {
                    slot = ContextPrior.Tables;
                }

                int context = (NeighbourPattern.Id(key) * ContextPrior.Activities) + activity;
                _match[(context * ContextPrior.Slots) + slot]++;
                surprise[pos] = (byte)(slot == 0 ? 0 : slot < ContextPrior.Tables ? 1 : 2);
                if (slot == ContextPrior.Tables)
                {
                    uint excludedAdaptive = 0;
                    foreach (int c in candidates[..n])
                    {
                        excludedAdaptive += adaptive.Frequency(c);
                    }

                    _escapes.Add(new EscapeEvent(
                        (byte)((activity * (ContextPrior.Tables + 1)) + n), (ushort)symbol,
                        Row(neighbours[0]), Row(neighbours[1]), Row(neighbours[2]), Row(neighbours[3]),
                        (ushort)adaptive.Frequency(symbol), (ushort)(adaptive.Total - excludedAdaptive)));
                }

                adaptive.Add(symbol);
            }
        }

        Maps++;
        Positions += m.Length;
    }

    /// <summary>Adds the inter-frame statistics of a frame following <paramref name="previous"/> (same size).</summary>
    public void AddInterFrame(IndexMap previous, IndexMap current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        if (previous.Width != current.Width || previous.Height != current.Height)
        {
            throw new ArgumentException($"frames of {previous.Width}x{previous.Height} and {current.Width}x{current.Height} latents are not consecutive frames of one stream");
        }

        int width = current.Width;
        ushort[] m = current.Indices;
        ushort[] p = previous.Indices;
        for (int y = 0; y < current.Height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int pos = (y * width) + x;
                int left = x > 0 ? m[pos - 1] : -1;
                int top = y > 0 ? m[pos - width] : -1;
                int topRight = y > 0 && x < width - 1 ? m[pos - width + 1] : -1;
                int topLeft = y > 0 && x > 0 ? m[pos - width - 1] : -1;
                int same = p[pos];
                int context = (left < 0 || left == p[pos - 1] ? 1 : 0)
                    | (top < 0 || top == p[pos - width] ? 2 : 0)
                    | (topRight < 0 || topRight == p[pos - width + 1] ? 4 : 0)
                    | (topLeft < 0 || topLeft == p[pos - width - 1] ? 8 : 0)
                    | (same == left ? 16 : 0)
                    | (same == top ? 32 : 0);
                _inter[(context * 2) + (m[pos] == same ? 1 : 0)]++;
            }
        }
    }

    /// <summary>Builds the prior from everything added.</summary>
    /// <param name="modelFingerprint">The fingerprint of the model whose indices were added.</param>
    /// <param name="progress">Optional progress lines.</param>
    public ContextPrior Build(uint modelFingerprint, IProgress<string>? progress = null)
    {
        if (Maps == 0)
        {
            throw new InvalidOperationException("no index maps were added: a prior needs training data");
        }

        int stride = _k + 1;
        ushort[] rows = new ushort[ContextPrior.Tables * stride * stride];
        double marginalTotal = _marginal.Sum() + _k;
        double[] marginal = [.. _marginal.Select(c => (c + 1) / marginalTotal)];
        for (int t = 0; t < ContextPrior.Tables; t++)
        {
            for (int row = 0; row <= _k; row++)
            {
                Quantise(_pairs.AsSpan(((t * stride) + row) * _k, _k), marginal, rows.AsSpan(((t * stride) + row) * stride, stride));
            }
        }

        progress?.Report($"rows: {ContextPrior.Tables} tables of {stride} rows quantised to {ContextPrior.RowTotal} (smoothing {_options.Smoothing})");
        ushort[] matchInit = Starting(_match, ContextPrior.Slots, _options.MatchConfidence);
        ushort[] interInit = Starting(_inter, 2, _options.InterConfidence);
        var prior = new ContextPrior(_k, modelFingerprint, rows, new byte[ContextPrior.WeightClasses * ContextPrior.Components], matchInit, interInit);
        WeightFitter.Fit(prior, _escapes, OwnShare, progress);
        return prior;
    }

    /// <summary>How much of a quantised row one training count makes up.</summary>
    private double OwnShare(int table, int row)
    {
        long total = 0;
        foreach (long count in _pairs.AsSpan(((table * (_k + 1)) + row) * _k, _k))
        {
            total += count;
        }

        return ContextPrior.RowTotal / (total + _options.Smoothing);
    }

    private ushort Row(int neighbour) => (ushort)(neighbour < 0 ? _k : neighbour);

    private void Quantise(ReadOnlySpan<long> counts, double[] marginal, Span<ushort> cumulative)
    {
        double alpha = _options.Smoothing;
        double total = alpha;
        foreach (long count in counts)
        {
            total += count;
        }

        Span<int> quantised = stackalloc int[_k];
        Span<double> remainder = stackalloc double[_k];
        int sum = 0;
        for (int x = 0; x < _k; x++)
        {
            double scaled = (counts[x] + (alpha * marginal[x])) / total * ContextPrior.RowTotal;
            quantised[x] = (int)Math.Floor(scaled);
            remainder[x] = scaled - quantised[x];
            sum += quantised[x];
        }

        if (sum < ContextPrior.RowTotal)
        {
            int[] order = [.. Enumerable.Range(0, _k)];
            double[] keys = [.. remainder.ToArray().Select(r => -r)];
            Array.Sort(keys, order);
            for (int i = 0; sum < ContextPrior.RowTotal; i++, sum++)
            {
                quantised[order[i]]++;
            }
        }

        cumulative[0] = 0;
        for (int x = 0; x < _k; x++)
        {
            cumulative[x + 1] = (ushort)(cumulative[x] + quantised[x]);
        }
    }

    private static ushort[] Starting(long[] counts, int slots, double confidence)
    {
        ushort[] starting = new ushort[counts.Length];
        for (int context = 0; context < counts.Length / slots; context++)
        {
            ReadOnlySpan<long> row = counts.AsSpan(context * slots, slots);
            double total = 0;
            foreach (long count in row)
            {
                total += count;
            }

            for (int s = 0; s < slots; s++)
            {
                double share = (row[s] + 0.5) / (total + (0.5 * slots));
                starting[(context * slots) + s] = (ushort)Math.Clamp(Math.Round(share * confidence), 1, 4096);
            }
        }

        return starting;
    }
}

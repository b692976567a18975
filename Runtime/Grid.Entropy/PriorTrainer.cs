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
    private readonly int _bits;
    private readonly int _nodes;
    private readonly long[][] _escapeCounts = new long[2][];
    private readonly long[][] _order0Counts = new long[2][];
    private readonly long[][] _hitCode = new long[2][];
    private readonly long[][] _hitContext = new long[2][];
    private readonly long[][] _repeat = new long[2][];
    private readonly List<PathEvent> _pathEvents = [];
    private readonly List<(IndexMap Current, IndexMap? Previous)> _samples = [];
    private int _keyFrames;
    private int _interFrames;

    public PriorTrainer(int codebookSize, PriorTrainingOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(codebookSize, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(codebookSize, 4096);
        _k = codebookSize;
        _options = options ?? new PriorTrainingOptions();
        _pairs = new long[ContextPrior.Tables * (_k + 1) * _k];
        _marginal = new long[_k];
        _match = new long[ContextPrior.MatchContexts * ContextPrior.Slots];
        _bits = MixTables.BitsFor(_k);
        _nodes = 1 << _bits;
        for (int fold = 0; fold < 2; fold++)
        {
            _escapeCounts[fold] = new long[MixTables.Tables * (_k + 1) * _nodes * 2];
            _order0Counts[fold] = new long[_nodes * 2];
            _hitCode[fold] = new long[_k * 2];
            _hitContext[fold] = new long[ContextPrior.InterContexts * 2];
            _repeat[fold] = new long[ContextPrior.Tables * _k * 2];
        }
    }

    /// <summary>Consecutive frame pairs added so far.</summary>
    public int FramePairs => _interFrames;

    /// <summary>
    /// Learns a prior from index maps of still images (key-frame statistics) and consecutive frames of videos
    /// (inter-frame statistics), in one call: what the trainer of a model version needs.
    /// </summary>
    /// <param name="codebookSize">K of the model.</param>
    /// <param name="modelFingerprint">The fingerprint of the model whose indices these are.</param>
    /// <param name="images">Index maps of training images.</param>
    /// <param name="sequences">Index maps of training videos, each sequence in frame order (may be empty).</param>
    /// <param name="options">Settings (the defaults are the shipped prior's).</param>
    /// <param name="progress">Optional progress lines.</param>
    public static ContextPrior Train(
        int codebookSize, uint modelFingerprint, IEnumerable<IndexMap> images, IEnumerable<IEnumerable<IndexMap>> sequences,
        PriorTrainingOptions? options = null, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(sequences);
        var trainer = new PriorTrainer(codebookSize, options);
        foreach (IndexMap map in images)
        {
            trainer.AddKeyFrame(map);
        }

        foreach (IEnumerable<IndexMap> sequence in sequences)
        {
            IndexMap? previous = null;
            foreach (IndexMap map in sequence)
            {
                if (previous is not null && previous.Width == map.Width && previous.Height == map.Height)
                {
                    trainer.AddInterFrame(previous, map);
                }

                previous = map;
            }
        }

        return trainer.Build(modelFingerprint, progress);
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
                CountRepeats(_repeat[_keyFrames % 2], candidates[..n], -1, symbol);
                surprise[pos] = (byte)(slot == 0 ? 0 : slot < ContextPrior.Tables ? 1 : 2);
                if (slot == ContextPrior.Tables)
                {
                    _pathEvents.Add(new PathEvent(
                        (byte)(_keyFrames % 2), Row(neighbours[0]), Row(neighbours[1]), Row(neighbours[2]), Row(neighbours[3]), (ushort)symbol));
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
        _samples.Add((map, null));
        _keyFrames++;
    }

    private int EscapeRow(int table, int neighbour) => ((table * (_k + 1)) + (neighbour < 0 ? _k : neighbour)) * _nodes;

    /// <summary>An escaped training index: fold (+2 for an inter frame), its neighbour rows (inter: the previous index), its value.</summary>
    private readonly record struct PathEvent(byte Fold, ushort Left, ushort Top, ushort TopRight, ushort TopLeft, ushort Symbol);

    /// <summary>
    /// An order of the K codes in which codes that occur next to the same codes are close (the Fiedler vector of
    /// the normalised neighbour co-occurrence graph, by power iteration): the binary tree of the mixing coder splits
    /// it into contiguous groups, so its upper bits say which kind of code comes next.
    /// </summary>
    private ushort[] SpectralOrder()
    {
        int k = _k;
        double[] c = new double[k * k];
        for (int t = 0; t < ContextPrior.Tables; t++)
        {
            for (int row = 0; row < k; row++)
            {
                for (int s = 0; s < k; s++)
                {
                    long count = _pairs[(((t * (k + 1)) + row) * k) + s];
                    c[(row * k) + s] += count;
                    c[(s * k) + row] += count;
                }
            }
        }

        double[] degree = new double[k];
        for (int a = 0; a < k; a++)
        {
            for (int b = 0; b < k; b++)
            {
                c[(a * k) + b] += 1e-3;
                degree[a] += c[(a * k) + b];
            }
        }

        double[] root = [.. degree.Select(Math.Sqrt)];
        double rootNorm = Math.Sqrt(root.Sum(r => r * r));
        double[] first = [.. root.Select(r => r / rootNorm)];
        double[] x = new double[k];
        for (int i = 0; i < k; i++)
        {
            x[i] = ((i * 2654435761L) % 1000 / 1000.0) - 0.5;
        }

        double[] next = new double[k];
        for (int iteration = 0; iteration < 300; iteration++)
        {
            double dot = 0;
            for (int i = 0; i < k; i++)
            {
                dot += x[i] * first[i];
            }

            for (int i = 0; i < k; i++)
            {
                x[i] -= dot * first[i];
            }

            for (int a = 0; a < k; a++)
            {
                double sum = 0;
                for (int b = 0; b < k; b++)
                {
                    sum += c[(a * k) + b] / (root[a] * root[b]) * x[b];
                }

                next[a] = (sum + x[a]) / 2;
            }

            double norm = Math.Sqrt(next.Sum(v => v * v));
            for (int i = 0; i < k; i++)
            {
                x[i] = next[i] / norm;
            }
        }

        double[] fiedler = [.. Enumerable.Range(0, k).Select(i => x[i] / root[i])];
        int[] order = [.. Enumerable.Range(0, k)];
        Array.Sort(order, (a, b) => fiedler[a] != fiedler[b] ? fiedler[a].CompareTo(fiedler[b]) : a.CompareTo(b));
        return [.. order.Select(i => (ushort)i)];
    }

    /// <summary>Counts the escape paths of every training event in the tree of <paramref name="rank"/>.</summary>
    private void CountPaths(ushort[] rank)
    {
        foreach (long[] counts in _escapeCounts.Concat(_order0Counts))
        {
            Array.Clear(counts);
        }

        foreach (PathEvent e in _pathEvents)
        {
            int symbol = rank[e.Symbol];
            if (e.Fold >= 2)
            {
                CountPath(_escapeCounts[e.Fold - 2], EscapeRow(MixTables.Tables - 1, e.Left), symbol);
                continue;
            }

            long[] counts = _escapeCounts[e.Fold];
            CountPath(counts, EscapeRow(0, e.Left == _k ? -1 : e.Left), symbol);
            CountPath(counts, EscapeRow(1, e.Top == _k ? -1 : e.Top), symbol);
            CountPath(counts, EscapeRow(2, e.TopRight == _k ? -1 : e.TopRight), symbol);
            CountPath(counts, EscapeRow(3, e.TopLeft == _k ? -1 : e.TopLeft), symbol);
            CountPath(_order0Counts[e.Fold], 0, symbol);
        }
    }

    /// <summary>Counts, slot by slot until the index is found, whether it equals that neighbour.</summary>
    private void CountRepeats(long[] counts, ReadOnlySpan<int> candidates, int same, int symbol)
    {
        for (int j = 0; j < candidates.Length; j++)
        {
            if (candidates[j] == same)
            {
                continue;
            }

            int at = ((j * _k) + candidates[j]) * 2;
            counts[at]++;
            if (candidates[j] == symbol)
            {
                counts[at + 1]++;
                return;
            }
        }
    }

    /// <summary>Counts the visits and ones of every node on the path of <paramref name="symbol"/> down the binary tree.</summary>
    private void CountPath(long[] counts, int row, int symbol)
    {
        int node = 1;
        for (int d = 0; d < _bits; d++)
        {
            int bit = (symbol >> (_bits - 1 - d)) & 1;
            counts[(row + node) * 2]++;
            counts[((row + node) * 2) + 1] += bit;
            node = (node * 2) + bit;
        }
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

        IndexCoder.CheckRange(previous.Indices, _k, nameof(previous));
        IndexCoder.CheckRange(current.Indices, _k, nameof(current));
        int fold = _interFrames % 2;
        int width = current.Width;
        ushort[] m = current.Indices;
        ushort[] p = previous.Indices;
        Span<int> candidates = stackalloc int[ContextPrior.Tables];
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
                int hit = m[pos] == same ? 1 : 0;
                _hitContext[fold][context * 2]++;
                _hitContext[fold][(context * 2) + 1] += hit;
                _hitCode[fold][(same * 2)]++;
                _hitCode[fold][(same * 2) + 1] += hit;
                if (hit == 0)
                {
                    int n = 0;
                    ContextCoder.Label(left, candidates, ref n);
                    ContextCoder.Label(top, candidates, ref n);
                    ContextCoder.Label(topRight, candidates, ref n);
                    ContextCoder.Label(topLeft, candidates, ref n);
                    CountRepeats(_repeat[fold], candidates[..n], same, m[pos]);
                    if (!candidates[..n].Contains(m[pos]))
                    {
                        _pathEvents.Add(new PathEvent((byte)(fold + 2), (ushort)same, 0, 0, 0, m[pos]));
                    }
                }
            }
        }

        _samples.Add((current, previous));
        _interFrames++;
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

        // The mixing coder's tables (format 2). Mixer weights are fitted on each half of the data with tables
        // counted on the other half, so they do not trust the tables more than they deserve on new images.
        ushort[] order = _options.SpectralOrder ? SpectralOrder() : [.. Enumerable.Range(0, _k).Select(i => (ushort)i)];
        ushort[] rank = new ushort[_k];
        for (int i = 0; i < _k; i++)
        {
            rank[order[i]] = (ushort)i;
        }

        CountPaths(rank);
        MixTables[] folds = [MixFrom([0], order), MixFrom([1], order)];
        var escapeMixer = new Mixer(MixTables.EscapeInputs, folds[0].EscapeSets, default, MixCoder.EscapeRate, _options.InitialWeight);
        var hitMixer = new Mixer(MixTables.HitInputs, MixTables.HitSets, default, MixCoder.HitRate, _options.InitialWeight);
        var matchMixer = new Mixer(MixTables.MatchInputs, MixTables.MatchSets, default, MixCoder.MatchRate, _options.InitialWeight);
        long[] matchSum = new long[matchMixer.Weights.Length];
        long[] escapeSum = new long[escapeMixer.Weights.Length];
        long[] hitSum = new long[hitMixer.Weights.Length];
        int snapshots = 0;
        var foldPriors = new ContextPrior[2];
        for (int f = 0; f < 2; f++)
        {
            foldPriors[f] = new ContextPrior(_k, modelFingerprint, rows, prior.Weights, matchInit, interInit) { Mix = folds[f] };
        }

        for (int epoch = 0; epoch < _options.MixEpochs; epoch++)
        {
            int keys = 0;
            int inters = 0;
            foreach ((IndexMap current, IndexMap? previous) in _samples)
            {
                int fold = previous is null ? keys++ % 2 : inters++ % 2;
                ushort[] map = (ushort[])current.Indices.Clone();
                var encoder = new RangeEncoder(map.Length / 2);
                var io = new EncoderIO(encoder);
                MixCoder.Run(ref io, map, current.Width, current.Height, foldPriors[1 - fold], previous is null ? default : previous.Indices, encoding: true, escapeMixer, hitMixer, matchMixer);
                if (epoch == _options.MixEpochs - 1)
                {
                    for (int i = 0; i < escapeSum.Length; i++)
                    {
                        escapeSum[i] += escapeMixer.Weights[i];
                    }

                    for (int i = 0; i < hitSum.Length; i++)
                    {
                        hitSum[i] += hitMixer.Weights[i];
                    }

                    for (int i = 0; i < matchSum.Length; i++)
                    {
                        matchSum[i] += matchMixer.Weights[i];
                    }

                    snapshots++;
                }
            }
        }

        MixTables all = MixFrom([0, 1], order);
        int[] escapeWeights = [.. escapeSum.Select(w => (int)Math.Clamp(w / Math.Max(snapshots, 1), -(1 << 23), 1 << 23))];
        int[] hitWeights = [.. hitSum.Select(w => (int)Math.Clamp(w / Math.Max(snapshots, 1), -(1 << 23), 1 << 23))];
        int[] matchWeights = [.. matchSum.Select(w => (int)Math.Clamp(w / Math.Max(snapshots, 1), -(1 << 23), 1 << 23))];
        prior.Mix = new MixTables(_k, order, all.Escape, all.Order0, all.HitByCode, all.HitByContext, all.Repeat, escapeWeights, hitWeights, matchWeights);
        progress?.Report($"mixing tables: {_keyFrames} key frames, {_interFrames} frame pairs, mixer weights fitted over {MixEpochsText()}");
        return prior;
    }

    private string MixEpochsText() => _options.MixEpochs == 1 ? "1 pass" : $"{_options.MixEpochs} passes";

    /// <summary>The mixing tables counted over the given folds (with starting weights, fitted later).</summary>
    private MixTables MixFrom(int[] folds, ushort[] order)
    {
        long[] escape = Sum(folds.Select(f => _escapeCounts[f]));
        long[] order0 = Sum(folds.Select(f => _order0Counts[f]));
        long[] hitCode = Sum(folds.Select(f => _hitCode[f]));
        long[] hitContext = Sum(folds.Select(f => _hitContext[f]));
        long[] repeat = Sum(folds.Select(f => _repeat[f]));
        double alpha = _options.MixSmoothing;
        ushort[] order0P = new ushort[_nodes];
        double[] marginal = new double[_nodes];
        for (int node = 0; node < _nodes; node++)
        {
            marginal[node] = (order0[(node * 2) + 1] + 0.5) / (order0[node * 2] + 1.0);
            order0P[node] = Probability(marginal[node]);
        }

        sbyte[] escapeP = new sbyte[MixTables.Tables * (_k + 1) * _nodes];
        for (int row = 0; row < MixTables.Tables * (_k + 1); row++)
        {
            for (int node = 0; node < _nodes; node++)
            {
                int i = (row * _nodes) + node;
                int stretched = Logistic.Stretch(Probability((escape[(i * 2) + 1] + (alpha * marginal[node])) / (escape[i * 2] + alpha)));
                escapeP[i] = (sbyte)Math.Clamp((int)Math.Round(stretched / (double)MixTables.EscapeStep), -127, 127);
            }
        }

        long hits = 0;
        long visits = 0;
        for (int c = 0; c < hitCode.Length / 2; c++)
        {
            visits += hitCode[c * 2];
            hits += hitCode[(c * 2) + 1];
        }

        double rate = (hits + 1.0) / (visits + 2.0);
        ushort[] hitCodeP = new ushort[_k];
        for (int c = 0; c < _k; c++)
        {
            hitCodeP[c] = Probability((hitCode[(c * 2) + 1] + (alpha * rate)) / (hitCode[c * 2] + alpha));
        }

        ushort[] hitContextP = new ushort[ContextPrior.InterContexts];
        for (int c = 0; c < hitContextP.Length; c++)
        {
            hitContextP[c] = Probability((hitContext[(c * 2) + 1] + (alpha * rate)) / (hitContext[c * 2] + alpha));
        }

        long repeatHits = 0;
        long repeatVisits = 0;
        for (int i = 0; i < repeat.Length / 2; i++)
        {
            repeatVisits += repeat[i * 2];
            repeatHits += repeat[(i * 2) + 1];
        }

        double repeatRate = (repeatHits + 1.0) / (repeatVisits + 2.0);
        ushort[] repeatP = new ushort[repeat.Length / 2];
        for (int i = 0; i < repeatP.Length; i++)
        {
            repeatP[i] = Probability((repeat[(i * 2) + 1] + (alpha * repeatRate)) / (repeat[i * 2] + alpha));
        }

        int escapeSets = MixTables.SetsFor(_bits);
        return new MixTables(
            _k, order, escapeP, order0P, hitCodeP, hitContextP, repeatP, new int[escapeSets * MixTables.EscapeInputs],
            new int[MixTables.HitSets * MixTables.HitInputs], new int[MixTables.MatchSets * MixTables.MatchInputs]);
    }

    private static long[] Sum(IEnumerable<long[]> arrays)
    {
        long[]? sum = null;
        foreach (long[] array in arrays)
        {
            sum ??= new long[array.Length];
            for (int i = 0; i < array.Length; i++)
            {
                sum[i] += array[i];
            }
        }

        return sum!;
    }

    private static ushort Probability(double p) => (ushort)Math.Clamp((int)Math.Round(p * 4096), 1, 4095);

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

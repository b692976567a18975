namespace Grid.Entropy;

/// <summary>
/// Logistic mixing of binary predictions (as in PAQ/lpaq), in integers only: the output is
/// squash(sum of weight x stretched input), with one weight vector per selected context, trained online by
/// gradient descent on coding cost. Weights are 16.16 fixed point (65536 = 1.0).
/// </summary>
internal sealed class Mixer
{
    private readonly int[] _weights;
    private readonly int[] _inputs;
    private readonly int _n;
    private readonly int _rate;
    private int _count;
    private int _offset;
    private int _offset2 = -1;
    private int _p;
    private int _p1;
    private int _p2;

    /// <param name="inputs">Inputs per prediction.</param>
    /// <param name="sets">Weight vectors (selected per prediction by <see cref="Mix(int)"/>).</param>
    /// <param name="initial">Starting weights (sets x inputs), or empty for <paramref name="fallback"/> everywhere.</param>
    /// <param name="rate">Learning rate.</param>
    /// <param name="fallback">Starting weight when <paramref name="initial"/> is empty.</param>
    public Mixer(int inputs, int sets, ReadOnlySpan<int> initial, int rate, int fallback = 1 << 14)
    {
        _n = inputs;
        _rate = rate;
        _weights = new int[inputs * sets];
        if (initial.IsEmpty)
        {
            _weights.AsSpan().Fill(fallback);
        }
        else
        {
            initial.CopyTo(_weights);
        }

        _inputs = new int[inputs];
    }

    /// <summary>The weights as they are now (sets x inputs).</summary>
    public ReadOnlySpan<int> Weights => _weights;

    /// <summary>Adds the next input (a stretched probability).</summary>
    public void Add(int stretched) => _inputs[_count++] = stretched;

    /// <summary>The mixed 12-bit probability of a 1 (1..4095) with weight vector <paramref name="set"/>.</summary>
    public int Mix(int set)
    {
        _offset = set * _n;
        long dot = 0;
        for (int i = 0; i < _count; i++)
        {
            dot += (long)_inputs[i] * _weights[_offset + i];
        }

        int d = (int)Math.Clamp(dot >> 16, -2047, 2047);
        _p = Math.Clamp(Logistic.Squash(d), 1, 4095);
        return _p;
    }

    /// <summary>
    /// The mixed 12-bit probability of a 1 (1..4095) from two weight vectors selected by different contexts: the
    /// mean of their stretched outputs. Each is trained on its own output.
    /// </summary>
    public int Mix(int set, int set2)
    {
        _offset = set * _n;
        _offset2 = set2 * _n;
        long dot = 0;
        long dot2 = 0;
        for (int i = 0; i < _count; i++)
        {
            dot += (long)_inputs[i] * _weights[_offset + i];
            dot2 += (long)_inputs[i] * _weights[_offset2 + i];
        }

        int d1 = (int)Math.Clamp(dot >> 16, -2047, 2047);
        int d2 = (int)Math.Clamp(dot2 >> 16, -2047, 2047);
        _p1 = Math.Clamp(Logistic.Squash(d1), 1, 4095);
        _p2 = Math.Clamp(Logistic.Squash(d2), 1, 4095);
        _p = Math.Clamp(Logistic.Squash((d1 + d2) >> 1), 1, 4095);
        return _p;
    }

    /// <summary>Trains the selected weights on the coded bit, and clears the inputs.</summary>
    public void Update(int bit)
    {
        if (_offset2 >= 0)
        {
            Train(_offset, ((bit << 12) - _p1) * _rate);
            Train(_offset2, ((bit << 12) - _p2) * _rate);
            _offset2 = -1;
        }
        else
        {
            Train(_offset, ((bit << 12) - _p) * _rate);
        }

        _count = 0;
    }

    private void Train(int offset, int error)
    {
        for (int i = 0; i < _count; i++)
        {
            _weights[offset + i] += (int)((((long)_inputs[i] * error) + (1 << 13)) >> 14);
        }
    }

    /// <summary>Clears the inputs without training (a bit that was not coded).</summary>
    public void Skip() => _count = 0;
}

/// <summary>
/// Adaptive bit probabilities: each entry holds a 22-bit probability and a count; an update moves the probability
/// towards the bit by 1 / (count + 1.5), so young entries learn fast and old ones settle.
/// </summary>
internal static class BitState
{
    /// <summary>An entry at probability 1/2 that has seen nothing.</summary>
    public const uint Fresh = 1u << 31;

    private static readonly int[] s_rate = BuildRates();

    /// <summary>An entry at 12-bit probability <paramref name="p12"/> that has seen <paramref name="count"/> bits.</summary>
    public static uint Of(int p12, int count) => ((uint)Math.Clamp(p12, 1, 4095) << 20) | (uint)Math.Min(count, 1023);

    /// <summary>The entry's 12-bit probability of a 1.</summary>
    public static int P12(uint entry) => (int)(entry >> 20);

    public static uint Update(uint entry, int bit, int limit)
    {
        int n = (int)(entry & 1023);
        long p = entry >> 10;
        p += (((long)(bit << 22) - p) * s_rate[n]) >> 16;
        p = Math.Clamp(p, 1 << 10, (1 << 22) - (1 << 10));
        if (n < limit)
        {
            n++;
        }

        return ((uint)p << 10) | (uint)n;
    }

    private static int[] BuildRates()
    {
        int[] rates = new int[1024];
        for (int n = 0; n < rates.Length; n++)
        {
            rates[n] = (2 << 16) / ((2 * n) + 3);
        }

        return rates;
    }
}

/// <summary>
/// Secondary estimation (an adaptive probability map, as in lpaq): refines a probability given a small context by
/// interpolating between 33 adaptive points over its stretched value. Integers only.
/// </summary>
internal sealed class Refiner
{
    /// <summary>The 33 starting points of every context (the identity map), computed once.</summary>
    private static readonly int[] s_start = [.. Enumerable.Range(0, 33).Select(j => Logistic.Squash((j - 16) * 128) * 16)];

    private readonly int[] _table;
    private readonly int _rate;
    private int _index;
    private int _weight;

    public Refiner(int contexts, int rate)
    {
        _rate = rate;
        _table = new int[contexts * 33];
        for (int c = 0; c < contexts; c++)
        {
            s_start.CopyTo(_table.AsSpan(c * 33, 33));
        }
    }

    /// <summary>The refined 12-bit probability (1..4095) of <paramref name="p12"/> in context <paramref name="context"/>.</summary>
    public int Refine(int p12, int context)
    {
        int s = Logistic.Stretch(p12) + 2048;
        _weight = s & 127;
        _index = (context * 33) + (s >> 7);
        int refined = ((_table[_index] * (128 - _weight)) + (_table[_index + 1] * _weight)) >> 11;
        return Math.Clamp((p12 + (3 * refined) + 2) >> 2, 1, 4095);
    }

    /// <summary>Trains the two points used by the last <see cref="Refine"/> on the coded bit.</summary>
    public void Update(int bit)
    {
        int target = bit << 16;
        _table[_index] += ((target - _table[_index]) * (128 - _weight)) >> (_rate + 7);
        _table[_index + 1] += ((target - _table[_index + 1]) * _weight) >> (_rate + 7);
    }
}

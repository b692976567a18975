namespace Grid.Evaluation;

/// <summary>
/// Codebook usage over a whole pass (not one batch, whose perplexity depends on batch size): how many codes were
/// used, the perplexity exp(-Σ p log p) of the assignment distribution, and the share of the most used code.
/// </summary>
public sealed class CodeUsage
{
    private readonly long[] _counts;

    public CodeUsage(int codebookSize)
    {
        _counts = new long[codebookSize];
    }

    public int CodebookSize => _counts.Length;
    public long Total { get; private set; }
    public ReadOnlySpan<long> Counts => _counts;

    public void Add(ReadOnlySpan<ushort> indices)
    {
        foreach (ushort index in indices)
        {
            _counts[index]++;
        }
        Total += indices.Length;
    }

    public void Add(ReadOnlySpan<long> counts)
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += counts[i];
            Total += counts[i];
        }
    }

    public int CodesUsed => _counts.Count(c => c > 0);

    public double Perplexity
    {
        get
        {
            if (Total == 0)
            {
                return 0;
            }
            double entropy = 0;
            foreach (long count in _counts)
            {
                if (count > 0)
                {
                    double p = (double)count / Total;
                    entropy -= p * Math.Log(p);
                }
            }
            return Math.Exp(entropy);
        }
    }

    public double TopCodeShare => Total == 0 ? 0 : (double)_counts.Max() / Total;
}

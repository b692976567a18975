using System.Text;

namespace Grid.Diagnostics;

/// <summary>
/// Observations counted into buckets with fixed upper bounds (rendered cumulative, with <c>le="+Inf"</c>), plus their
/// sum and count: latencies, batch sizes.
/// </summary>
public sealed class Histogram : MetricFamily<HistogramSeries>
{
    private readonly double[] _bounds;

    internal Histogram(string name, string help, IReadOnlyList<double> buckets, IReadOnlyList<string> labelNames)
        : base(name, help, "histogram", labelNames)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        if (buckets.Count == 0)
        {
            throw new ArgumentException($"histogram {name} needs at least one bucket", nameof(buckets));
        }
        for (int i = 0; i < buckets.Count; i++)
        {
            if (!double.IsFinite(buckets[i]) || (i > 0 && buckets[i] <= buckets[i - 1]))
            {
                throw new ArgumentException($"histogram {name}: bucket bounds must be finite and strictly ascending", nameof(buckets));
            }
        }
        _bounds = [.. buckets];
    }

    /// <summary>Latency buckets from 0.5 ms to 10 s.</summary>
    public static IReadOnlyList<double> LatencyBuckets { get; } =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Records one observation in the unlabelled series.</summary>
    public void Observe(double value) => Unlabelled.Observe(value);

    private protected override HistogramSeries CreateSeries() => new(_bounds);

    private protected override void WriteSeries(StringBuilder text, IReadOnlyList<string> values, HistogramSeries series)
    {
        (long[] counts, long count, double sum) = series.Snapshot();
        long cumulative = 0;
        for (int i = 0; i < _bounds.Length; i++)
        {
            cumulative += counts[i];
            text.Append(Name).Append("_bucket").Append(FormatLabels(values, $"le=\"{MetricRegistry.FormatValue(_bounds[i])}\""))
                .Append(' ').Append(cumulative).Append('\n');
        }
        text.Append(Name).Append("_bucket").Append(FormatLabels(values, "le=\"+Inf\"")).Append(' ').Append(count).Append('\n');
        text.Append(Name).Append("_sum").Append(FormatLabels(values)).Append(' ').Append(MetricRegistry.FormatValue(sum)).Append('\n');
        text.Append(Name).Append("_count").Append(FormatLabels(values)).Append(' ').Append(count).Append('\n');
    }
}

/// <summary>One labelled series of a <see cref="Histogram"/>.</summary>
public sealed class HistogramSeries
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private long _count;
    private long _sumBits;

    internal HistogramSeries(double[] bounds)
    {
        _bounds = bounds;
        _counts = new long[bounds.Length];
    }

    /// <summary>Number of observations so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Sum of the observations so far.</summary>
    public double Sum => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _sumBits));

    /// <summary>Records one observation.</summary>
    public void Observe(double value)
    {
        int bucket = Array.BinarySearch(_bounds, value);
        if (bucket < 0)
        {
            bucket = ~bucket;
        }
        if (bucket < _counts.Length)
        {
            Interlocked.Increment(ref _counts[bucket]);
        }
        AtomicDouble.Add(ref _sumBits, value);
        Interlocked.Increment(ref _count);
    }

    /// <summary>Per-bucket (not cumulative) counts, total count and sum; a scrape racing observations may be off by the racing ones.</summary>
    internal (long[] Counts, long Count, double Sum) Snapshot()
    {
        long count = Count;
        double sum = Sum;
        long[] counts = new long[_counts.Length];
        long inBuckets = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _counts[i]);
            inBuckets += counts[i];
        }
        // Keep the exposition consistent (+Inf >= every bucket) even when an observation lands between the reads.
        return (counts, Math.Max(count, inBuckets), sum);
    }
}

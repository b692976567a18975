using System.Text;

namespace Grid.Diagnostics;

/// <summary>A count that only goes up (requests, frames stored, model loads).</summary>
public sealed class Counter : MetricFamily<CounterSeries>
{
    internal Counter(string name, string help, IReadOnlyList<string> labelNames)
        : base(name, help, "counter", labelNames)
    {
    }

    /// <summary>Adds one to the unlabelled series.</summary>
    public void Inc() => Unlabelled.Inc();

    /// <summary>Adds <paramref name="amount"/> to the unlabelled series.</summary>
    public void Inc(long amount) => Unlabelled.Inc(amount);

    /// <summary>The unlabelled series' value.</summary>
    public long Value => Unlabelled.Value;

    private protected override CounterSeries CreateSeries() => new();

    private protected override void WriteSeries(StringBuilder text, IReadOnlyList<string> values, CounterSeries series) =>
        text.Append(Name).Append(FormatLabels(values)).Append(' ').Append(series.Value).Append('\n');
}

/// <summary>One labelled series of a <see cref="Counter"/>.</summary>
public sealed class CounterSeries
{
    private long _value;

    /// <summary>The count so far.</summary>
    public long Value => Interlocked.Read(ref _value);

    /// <summary>Adds one.</summary>
    public void Inc() => Interlocked.Increment(ref _value);

    /// <summary>Adds <paramref name="amount"/> (not negative).</summary>
    public void Inc(long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        Interlocked.Add(ref _value, amount);
    }
}

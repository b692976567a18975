using System.Text;

namespace Grid.Diagnostics;

/// <summary>A value that goes up and down (open sockets, draining flag).</summary>
public sealed class Gauge : MetricFamily<GaugeSeries>
{
    internal Gauge(string name, string help, IReadOnlyList<string> labelNames)
        : base(name, help, "gauge", labelNames)
    {
    }

    /// <summary>Sets the unlabelled series.</summary>
    public void Set(double value) => Unlabelled.Set(value);

    /// <summary>Adds to the unlabelled series (negative to subtract).</summary>
    public void Add(double delta) => Unlabelled.Add(delta);

    /// <summary>The unlabelled series' value.</summary>
    public double Value => Unlabelled.Value;

    private protected override GaugeSeries CreateSeries() => new();

    private protected override void WriteSeries(StringBuilder text, IReadOnlyList<string> values, GaugeSeries series) =>
        text.Append(Name).Append(FormatLabels(values)).Append(' ').Append(MetricRegistry.FormatValue(series.Value)).Append('\n');
}

/// <summary>One labelled series of a <see cref="Gauge"/>.</summary>
public sealed class GaugeSeries
{
    private long _bits;

    /// <summary>The current value.</summary>
    public double Value => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _bits));

    /// <summary>Sets the value.</summary>
    public void Set(double value) => Interlocked.Exchange(ref _bits, BitConverter.DoubleToInt64Bits(value));

    /// <summary>Adds <paramref name="delta"/> atomically.</summary>
    public void Add(double delta) => AtomicDouble.Add(ref _bits, delta);
}

/// <summary>A gauge whose value is read from a callback at every scrape.</summary>
internal sealed class ObservableGauge : MetricFamily
{
    private readonly Func<double> _read;

    public ObservableGauge(string name, string help, Func<double> read)
        : base(name, help, "gauge", [])
    {
        _read = read;
    }

    internal override void Write(StringBuilder text) =>
        text.Append(Name).Append(' ').Append(MetricRegistry.FormatValue(_read())).Append('\n');
}

/// <summary>Lock-free addition to a double stored as its bits.</summary>
internal static class AtomicDouble
{
    public static void Add(ref long bits, double delta)
    {
        long seen = Interlocked.Read(ref bits);
        while (true)
        {
            long next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + delta);
            long actual = Interlocked.CompareExchange(ref bits, next, seen);
            if (actual == seen)
            {
                return;
            }
            seen = actual;
        }
    }
}

using System.Globalization;
using System.Text;

namespace Grid.Diagnostics;

/// <summary>
/// A small, thread-safe registry of Prometheus metrics (counters, gauges, histograms, each with optional labels)
/// rendered in the text exposition format 0.0.4. Recording is lock-free (Interlocked on per-series cells); only
/// creating a new label combination and rendering take a lock. Metric names are registered once; asking again for a
/// name returns the existing metric when its type and labels agree.
/// </summary>
public sealed class MetricRegistry
{
    private readonly Lock _gate = new();
    private readonly List<MetricFamily> _families = [];
    private readonly Dictionary<string, MetricFamily> _byName = new(StringComparer.Ordinal);

    /// <summary>A monotonically increasing count.</summary>
    public Counter Counter(string name, string help, params string[] labelNames) =>
        Register(name, () => new Counter(name, help, labelNames));

    /// <summary>A value that goes up and down, set by the caller.</summary>
    public Gauge Gauge(string name, string help, params string[] labelNames) =>
        Register(name, () => new Gauge(name, help, labelNames));

    /// <summary>A gauge read from <paramref name="read"/> at every scrape (queue depth, current model version).</summary>
    public void ObservableGauge(string name, string help, Func<double> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        Register(name, () => new ObservableGauge(name, help, read));
    }

    /// <summary>A distribution of observations in cumulative buckets with the given upper bounds (ascending).</summary>
    public Histogram Histogram(string name, string help, IReadOnlyList<double> buckets, params string[] labelNames) =>
        Register(name, () => new Histogram(name, help, buckets, labelNames));

    /// <summary>Every metric in the text exposition format, in registration order.</summary>
    public string Render()
    {
        MetricFamily[] families;
        lock (_gate)
        {
            families = [.. _families];
        }
        var text = new StringBuilder(4096);
        foreach (MetricFamily family in families)
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type).Append('\n');
            family.Write(text);
        }
        return text.ToString();
    }

    private T Register<T>(string name, Func<T> create)
        where T : MetricFamily
    {
        lock (_gate)
        {
            if (_byName.TryGetValue(name, out MetricFamily? existing))
            {
                return existing as T
                    ?? throw new InvalidOperationException($"metric {name} is already registered as a {existing.Type}");
            }
            T family = create();
            _families.Add(family);
            _byName.Add(name, family);
            return family;
        }
    }

    internal static string FormatValue(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

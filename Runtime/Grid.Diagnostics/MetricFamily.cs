using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Grid.Diagnostics;

/// <summary>One metric name with its help text, type and labelled series.</summary>
public abstract partial class MetricFamily
{
    private protected MetricFamily(string name, string help, string type, IReadOnlyList<string> labelNames)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a valid Prometheus metric name", nameof(name));
        }
        foreach (string label in labelNames)
        {
            if (!LabelPattern().IsMatch(label) || label.StartsWith("__", StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{label}' is not a valid Prometheus label name", nameof(labelNames));
            }
        }
        Name = name;
        Help = help;
        Type = type;
        LabelNames = [.. labelNames];
    }

    /// <summary>The metric name, e.g. <c>grid_codec_queue_depth</c>.</summary>
    public string Name { get; }

    /// <summary>What the metric measures.</summary>
    public string Help { get; }

    /// <summary>counter, gauge or histogram.</summary>
    public string Type { get; }

    /// <summary>Names of the labels every series carries, in order.</summary>
    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>Appends the family's sample lines.</summary>
    internal abstract void Write(StringBuilder text);

    /// <summary><c>{a="x",b="y"}</c> for the given values (empty without labels), with <paramref name="extra"/> appended.</summary>
    private protected string FormatLabels(IReadOnlyList<string> values, string? extra = null)
    {
        if (LabelNames.Count == 0 && extra is null)
        {
            return string.Empty;
        }
        var text = new StringBuilder("{");
        for (int i = 0; i < LabelNames.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }
            text.Append(LabelNames[i]).Append("=\"").Append(EscapeLabel(values[i])).Append('"');
        }
        if (extra is not null)
        {
            if (LabelNames.Count > 0)
            {
                text.Append(',');
            }
            text.Append(extra);
        }
        return text.Append('}').ToString();
    }

    private protected void CheckLabelCount(string[] values)
    {
        if (values.Length != LabelNames.Count)
        {
            throw new ArgumentException($"metric {Name} has {LabelNames.Count} labels; {values.Length} values given", nameof(values));
        }
    }

    private static string EscapeLabel(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelPattern();
}

/// <summary>A family whose series are created on first use of a label combination and kept for the process's life.</summary>
/// <typeparam name="TSeries">The per-series cell.</typeparam>
public abstract class MetricFamily<TSeries> : MetricFamily
    where TSeries : class
{
    private readonly ConcurrentDictionary<string, (string[] Values, TSeries Series)> _series = new(StringComparer.Ordinal);
    private readonly Lazy<TSeries> _unlabelled;

    private protected MetricFamily(string name, string help, string type, IReadOnlyList<string> labelNames)
        : base(name, help, type, labelNames)
    {
        _unlabelled = new Lazy<TSeries>(() => WithLabels());
    }

    /// <summary>The series without labels (for families declared without label names).</summary>
    private protected TSeries Unlabelled => _unlabelled.Value;

    /// <summary>The series of one label combination (values in the order of <see cref="MetricFamily.LabelNames"/>). Cache it where hot.</summary>
    public TSeries WithLabels(params string[] values)
    {
        CheckLabelCount(values);
        string key = values.Length == 0 ? string.Empty : string.Join('\u0001', values);
        return _series.GetOrAdd(key, static (_, state) => ([.. state.Values], state.Family.CreateSeries()), (Values: values, Family: this)).Series;
    }

    private protected abstract TSeries CreateSeries();

    private protected abstract void WriteSeries(StringBuilder text, IReadOnlyList<string> values, TSeries series);

    internal override void Write(StringBuilder text)
    {
        if (LabelNames.Count == 0)
        {
            _ = Unlabelled; // an unlabelled metric shows its zero before the first event
        }
        foreach ((string[] values, TSeries series) in _series.Values.OrderBy(s => string.Join('\u0001', s.Values), StringComparer.Ordinal))
        {
            WriteSeries(text, values, series);
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Grid.Diagnostics;

namespace Grid.Runtime.Tests;

/// <summary>
/// Listens to one <see cref="GridMetrics"/> instance's meter (and no other) and renders what it recorded as
/// Prometheus-style sample lines (<c>grid_name{tag="value"} number</c>; histograms as <c>_count</c> and <c>_sum</c>),
/// the names /metrics shows, so tests read the values the silo exports.
/// </summary>
internal sealed class MetricSamples : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _sums = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _gauges = new(StringComparer.Ordinal);

    public MetricSamples(GridMetrics metrics)
    {
        Meter meter = metrics.Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        _listener.Start();
    }

    /// <summary>Every sample line, after reading the observable gauges.</summary>
    public string Render()
    {
        _gauges.Clear();
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach ((string series, double value) in _sums.Concat(_gauges).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(series).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The value of one sample line, e.g. <c>grid_codec_batch_size_count</c>.</summary>
    public double Sample(string series)
    {
        string text = Render();
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }
        throw new KeyNotFoundException($"no sample {series} in:\n{text}");
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string name = GridMetrics.MeterName + "_" + instrument.Name;
        string labels = Labels(tags);
        switch (instrument)
        {
            case Histogram<int> or Histogram<double>:
                _sums.AddOrUpdate(name + "_count" + labels, 1, (_, old) => old + 1);
                _sums.AddOrUpdate(name + "_sum" + labels, value, (_, old) => old + value);
                break;
            case ObservableGauge<int> or ObservableGauge<long> or ObservableGauge<double>:
                _gauges[name + labels] = value;
                break;
            default:
                _sums.AddOrUpdate(name + labels, value, (_, old) => old + value);
                break;
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return string.Empty;
        }
        var pairs = new List<string>(tags.Length);
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            pairs.Add($"{tag.Key}=\"{tag.Value}\"");
        }
        pairs.Sort(StringComparer.Ordinal);
        return "{" + string.Join(',', pairs) + "}";
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Grid.Diagnostics;

/// <summary>
/// A gauge the code sets (last value per tag value), published as an <see cref="ObservableGauge{T}"/>: prometheus-net
/// 8.2's meter adapter does not read the synchronous <c>Gauge&lt;T&gt;</c> of .NET 9.
/// </summary>
public sealed class SettableGauge
{
    private readonly ConcurrentDictionary<string, double> _values = new(StringComparer.Ordinal);

    internal SettableGauge(Meter meter, string name, string description)
    {
        meter.CreateObservableGauge(name, Observe, description: description);
    }

    /// <summary>Sets the untagged value.</summary>
    public void Set(double value) => _values[string.Empty] = value;

    /// <summary>Sets the value of one tag value (<c>{tag="value"}</c>).</summary>
    public void Set(string tag, string value, double measurement) => _values[tag + "\0" + value] = measurement;

    private IEnumerable<Measurement<double>> Observe()
    {
        foreach ((string key, double value) in _values)
        {
            int split = key.IndexOf('\0', StringComparison.Ordinal);
            yield return split < 0
                ? new Measurement<double>(value)
                : new Measurement<double>(value, new KeyValuePair<string, object?>(key[..split], key[(split + 1)..]));
        }
    }
}

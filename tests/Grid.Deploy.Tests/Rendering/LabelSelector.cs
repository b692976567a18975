using Grid.Deploy.Tests.Yaml;

namespace Grid.Deploy.Tests.Rendering;

/// <summary>
/// A Kubernetes label selector: <c>matchLabels</c> and <c>matchExpressions</c> (In, NotIn, Exists, DoesNotExist), or a
/// Service's plain map. An empty selector matches nothing here: Grid never means "every pod".
/// </summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyDictionary<string, string> _labels;
    private readonly IReadOnlyList<(string Key, string Operator, IReadOnlyList<string> Values)> _expressions;

    private LabelSelector(IReadOnlyDictionary<string, string> labels, IReadOnlyList<(string, string, IReadOnlyList<string>)> expressions)
    {
        _labels = labels;
        _expressions = expressions;
    }

    /// <summary>A <c>LabelSelector</c> object (<c>matchLabels</c>, <c>matchExpressions</c>).</summary>
    public static LabelSelector From(Node selector) => new(
        selector["matchLabels"].StringMap(),
        [.. selector["matchExpressions"].Items.Select(e => (
            e["key"].Text ?? "",
            e["operator"].Text ?? "",
            (IReadOnlyList<string>)[.. e["values"].Items.Select(v => v.Text ?? "")]))]);

    /// <summary>A Service's selector: a plain map of labels.</summary>
    public static LabelSelector FromMap(IReadOnlyDictionary<string, string> labels) => new(labels, []);

    /// <summary>Whether the selector has no terms.</summary>
    public bool IsEmpty => _labels.Count == 0 && _expressions.Count == 0;

    /// <summary>Whether a pod with <paramref name="labels"/> is selected.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        if (IsEmpty)
        {
            return false;
        }
        foreach ((string key, string value) in _labels)
        {
            if (!labels.TryGetValue(key, out string? actual) || actual != value)
            {
                return false;
            }
        }
        foreach ((string key, string op, IReadOnlyList<string> values) in _expressions)
        {
            bool has = labels.TryGetValue(key, out string? actual);
            bool ok = op switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => throw new InvalidOperationException($"unknown selector operator '{op}'"),
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The terms, for messages.</summary>
    public override string ToString() =>
        string.Join(",", _labels.Select(l => $"{l.Key}={l.Value}")
            .Concat(_expressions.Select(e => $"{e.Key} {e.Operator} ({string.Join(",", e.Values)})")));
}

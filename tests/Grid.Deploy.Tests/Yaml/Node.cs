using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Grid.Deploy.Tests.Yaml;

/// <summary>
/// A read-only view of one node of a parsed YAML document, navigated by key and index. A key or index that is not
/// there gives a node that does not <see cref="Exists"/> (and whose children do not either), so a check can walk a
/// path and ask once at the end; <see cref="Path"/> names where the node is for failure messages.
/// </summary>
public sealed class Node
{
    private readonly YamlNode? _node;

    /// <summary>Wraps <paramref name="node"/> (null: a missing node) found at <paramref name="path"/>.</summary>
    public Node(YamlNode? node, string path)
    {
        _node = node;
        Path = path;
    }

    /// <summary>Where the node is, e.g. <c>spec.template.spec.containers[0].name</c>.</summary>
    public string Path { get; }

    /// <summary>Whether the node is present (and not an explicit YAML null).</summary>
    public bool Exists =>
        _node is not null
        && !(_node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" });

    /// <summary>Whether the node is a mapping.</summary>
    public bool IsMapping => _node is YamlMappingNode;

    /// <summary>Whether the node is a sequence.</summary>
    public bool IsSequence => _node is YamlSequenceNode;

    /// <summary>The child under <paramref name="key"/> of a mapping; a missing node otherwise.</summary>
    public Node this[string key]
    {
        get
        {
            string path = Path.Length == 0 ? key : $"{Path}.{key}";
            if (_node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child))
            {
                return new Node(child, path);
            }
            return new Node(null, path);
        }
    }

    /// <summary>The item at <paramref name="index"/> of a sequence; a missing node otherwise.</summary>
    public Node this[int index]
    {
        get
        {
            string path = $"{Path}[{index.ToString(CultureInfo.InvariantCulture)}]";
            return _node is YamlSequenceNode sequence && index >= 0 && index < sequence.Children.Count
                ? new Node(sequence.Children[index], path)
                : new Node(null, path);
        }
    }

    /// <summary>The text of a scalar; null for a missing node, a mapping or a sequence.</summary>
    public string? Text => Exists && _node is YamlScalarNode scalar ? scalar.Value : null;

    /// <summary>The scalar as an integer; null when missing or not an integer.</summary>
    public long? Number =>
        long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : null;

    /// <summary>The items of a sequence (none for anything else).</summary>
    public IEnumerable<Node> Items =>
        _node is YamlSequenceNode sequence
            ? sequence.Children.Select((child, i) => new Node(child, $"{Path}[{i.ToString(CultureInfo.InvariantCulture)}]"))
            : [];

    /// <summary>The keys and values of a mapping (none for anything else).</summary>
    public IEnumerable<KeyValuePair<string, Node>> Entries =>
        _node is YamlMappingNode mapping
            ? mapping.Children.Select(pair =>
            {
                string key = ((YamlScalarNode)pair.Key).Value ?? "";
                return new KeyValuePair<string, Node>(key, new Node(pair.Value, Path.Length == 0 ? key : $"{Path}.{key}"));
            })
            : [];

    /// <summary>A mapping of scalars (labels, annotations, ConfigMap data) as a dictionary; empty when missing.</summary>
    public IReadOnlyDictionary<string, string> StringMap() =>
        Entries.Where(e => e.Value.Text is not null).ToDictionary(e => e.Key, e => e.Value.Text!, StringComparer.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Text ?? Path;
}

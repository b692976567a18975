using System.Globalization;
using System.Text.RegularExpressions;

namespace Grid.Deploy.Tests.Model;

/// <summary>A parsed redis.conf: directive to its arguments (a directive given twice: the last one wins, as in Redis).</summary>
public sealed partial class RedisConfig
{
    private readonly Dictionary<string, string> _directives;

    private RedisConfig(Dictionary<string, string> directives) => _directives = directives;

    /// <summary>Parses redis.conf text: one directive per line, <c>#</c> comments, quoted arguments unquoted.</summary>
    public static RedisConfig Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var directives = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            int space = line.IndexOfAny([' ', '\t']);
            string name = space < 0 ? line : line[..space];
            string arguments = space < 0 ? "" : line[(space + 1)..].Trim();
            if (arguments.Length >= 2 && arguments[0] == '"' && arguments[^1] == '"')
            {
                arguments = arguments[1..^1];
            }
            directives[name] = arguments;
        }
        return new RedisConfig(directives);
    }

    /// <summary>The arguments of <paramref name="directive"/>; null when it is not set.</summary>
    public string? this[string directive] => _directives.TryGetValue(directive, out string? value) ? value : null;

    /// <summary>
    /// A memory size in Redis's units (<c>1k</c> = 1000, <c>1kb</c> = 1024, likewise m/mb and g/gb; no unit: bytes).
    /// </summary>
    /// <exception cref="FormatException">It is not a Redis memory size.</exception>
    public static long ParseBytes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Match match = BytesPattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException($"'{text}' is not a Redis memory size (e.g. 2gb, 512mb, 1000000)");
        }
        long number = long.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture);
        long unit = match.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "" or "b" => 1,
            "k" => 1000,
            "kb" => 1024,
            "m" => 1000 * 1000,
            "mb" => 1024 * 1024,
            "g" => 1000L * 1000 * 1000,
            "gb" => 1024L * 1024 * 1024,
            _ => throw new FormatException($"'{text}' has an unknown unit"),
        };
        return checked(number * unit);
    }

    [GeneratedRegex(@"^(?<number>\d+)(?<unit>[a-zA-Z]*)$")]
    private static partial Regex BytesPattern();
}

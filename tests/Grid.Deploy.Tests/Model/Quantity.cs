using System.Globalization;
using System.Text.RegularExpressions;

namespace Grid.Deploy.Tests.Model;

/// <summary>Kubernetes resource quantities (<c>500m</c>, <c>4</c>, <c>2Gi</c>, <c>1e3</c>) as plain numbers.</summary>
public static partial class Quantity
{
    private static readonly Dictionary<string, decimal> s_suffixes = new(StringComparer.Ordinal)
    {
        [""] = 1m,
        ["n"] = 1e-9m, ["u"] = 1e-6m, ["m"] = 1e-3m,
        ["k"] = 1e3m, ["M"] = 1e6m, ["G"] = 1e9m, ["T"] = 1e12m, ["P"] = 1e15m, ["E"] = 1e18m,
        ["Ki"] = 1024m, ["Mi"] = 1024m * 1024, ["Gi"] = 1024m * 1024 * 1024, ["Ti"] = 1024m * 1024 * 1024 * 1024,
        ["Pi"] = 1024m * 1024 * 1024 * 1024 * 1024, ["Ei"] = 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
    };

    /// <summary>The value of <paramref name="text"/> in base units (cores, bytes).</summary>
    /// <exception cref="FormatException">It is not a Kubernetes quantity.</exception>
    public static decimal Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Match match = QuantityPattern().Match(text);
        if (!match.Success)
        {
            throw new FormatException($"'{text}' is not a Kubernetes quantity (e.g. 500m, 4, 2Gi)");
        }
        decimal number = decimal.Parse(match.Groups["number"].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        if (match.Groups["exponent"].Success)
        {
            int exponent = int.Parse(match.Groups["exponent"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            for (int i = 0; i < Math.Abs(exponent); i++)
            {
                number = exponent > 0 ? number * 10 : number / 10;
            }
            return number;
        }
        return number * s_suffixes[match.Groups["suffix"].Value];
    }

    /// <summary>Whether <paramref name="text"/> parses.</summary>
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (text is null || !QuantityPattern().IsMatch(text))
        {
            return false;
        }
        value = Parse(text);
        return true;
    }

    [GeneratedRegex(@"^(?<number>[+-]?(\d+(\.\d*)?|\.\d+))(?:[eE](?<exponent>[+-]?\d+)|(?<suffix>Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$")]
    private static partial Regex QuantityPattern();
}

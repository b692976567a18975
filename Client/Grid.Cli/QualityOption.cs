using System.CommandLine;
using Grid.Contracts.Frames;

namespace Grid.Cli;

/// <summary>
/// <c>--quality low|standard|high|max</c>: the scale a frame is coded at (x1/2, x1, x3/2, x2; docs/frame-format.md,
/// "Quality levels"). Any other value is refused by the parser with the list of levels (exit code 2).
/// </summary>
public static class QualityOption
{
    /// <summary>The option with a default level (encode), or without one (null: the stream's own level).</summary>
    public static Option<string?> Create(string? defaultValue, string whenAbsent)
    {
        var option = new Option<string?>("--quality")
        {
            Description = $"Quality level, the scale the image is coded at: low (x1/2), standard (x1), high (x3/2), max (x2); {whenAbsent}",
        };
        if (defaultValue is not null)
        {
            option.DefaultValueFactory = _ => defaultValue;
        }
        option.AcceptOnlyFromAmong("low", "standard", "high", "max");
        return option;
    }

    /// <summary>The level of a value the option accepted; null when absent.</summary>
    public static FrameQuality? Parse(string? value) =>
        value is null ? null
        : FrameQualities.TryParse(value, out FrameQuality quality) ? quality
        : throw new ArgumentException($"--quality must be one of {FrameQualities.Names} (got '{value}')");
}

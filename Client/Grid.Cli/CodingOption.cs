using System.CommandLine;
using Grid.Contracts.Frames;

namespace Grid.Cli;

/// <summary><c>--coding fixed|baseline|learned</c>: how frames store their indices (docs/frame-format.md).</summary>
public static class CodingOption
{
    public static Option<string> Create(string defaultValue = "fixed")
    {
        var option = new Option<string>("--coding")
        {
            Description = "fixed: 9-bit packed indices (VQF v1); baseline: entropy-coded, untrained adaptive model; learned (or entropy): entropy-coded with the model's prior.bin (VQF v2)",
            DefaultValueFactory = _ => defaultValue,
        };
        option.AcceptOnlyFromAmong("fixed", "baseline", "learned", "entropy");
        return option;
    }

    public static FrameCoding Parse(string? value) => value switch
    {
        "baseline" => FrameCoding.Baseline,
        "learned" or "entropy" => FrameCoding.Learned,
        _ => FrameCoding.Fixed,
    };
}

using System.Diagnostics.CodeAnalysis;

namespace Grid.Contracts.Frames;

/// <summary>
/// The quality levels' scale factors, names and flag bits (docs/frame-format.md, "Quality levels"). A level scales
/// each image side by an exact fraction, numerator / denominator, and the coded side is
/// <c>(side * numerator + denominator / 2) / denominator</c> in integers (rounded half up), so that every reader
/// computes the same coded size.
/// </summary>
public static class FrameQualities
{
    /// <summary>The bits of the flags byte that hold the quality level's code (bits 0-1).</summary>
    public const byte FlagMask = 0b0000_0011;

    /// <summary>The levels, lowest rate first.</summary>
    public static IReadOnlyList<FrameQuality> All { get; } = [FrameQuality.Low, FrameQuality.Standard, FrameQuality.High, FrameQuality.Max];

    /// <summary>The names the API, SDK and CLI accept, lowest rate first.</summary>
    public static string Names => "low, standard, high, max";

    /// <summary>The level's scale factor as an exact fraction.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined level.</exception>
    public static (int Numerator, int Denominator) Scale(FrameQuality quality) => quality switch
    {
        FrameQuality.Standard => (1, 1),
        FrameQuality.Low => (1, 2),
        FrameQuality.High => (3, 2),
        FrameQuality.Max => (2, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(quality), quality, $"quality level code {(byte)quality} is not defined: {Names}"),
    };

    /// <summary>The level's scale factor as a number (for display).</summary>
    public static double Factor(FrameQuality quality)
    {
        (int numerator, int denominator) = Scale(quality);
        return (double)numerator / denominator;
    }

    /// <summary>The side, in pixels, at which a level codes an image side of <paramref name="side"/> pixels (at least 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined level, or a side below 1.</exception>
    public static int CodedSide(int side, FrameQuality quality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1);
        (int numerator, int denominator) = Scale(quality);
        return (int)((((long)side * numerator) + (denominator / 2)) / denominator);
    }

    /// <summary>Whether <paramref name="quality"/> is a defined level.</summary>
    public static bool IsDefined(FrameQuality quality) => quality is FrameQuality.Standard or FrameQuality.Low or FrameQuality.High or FrameQuality.Max;

    /// <summary>The level's name: <c>low</c>, <c>standard</c>, <c>high</c> or <c>max</c>.</summary>
    public static string Name(FrameQuality quality) => quality switch
    {
        FrameQuality.Standard => "standard",
        FrameQuality.Low => "low",
        FrameQuality.High => "high",
        FrameQuality.Max => "max",
        _ => ((byte)quality).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Parses a level's name (case-insensitive), as the API, SDK and CLI take it.</summary>
    /// <param name="text">low, standard, high or max.</param>
    /// <param name="quality">The level when the name is known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out FrameQuality quality)
    {
        foreach (FrameQuality level in All)
        {
            if (string.Equals(text, Name(level), StringComparison.OrdinalIgnoreCase))
            {
                quality = level;
                return true;
            }
        }

        quality = FrameQuality.Standard;
        return false;
    }

    /// <summary>The flags byte of a frame at <paramref name="quality"/>.</summary>
    internal static byte ToFlags(FrameQuality quality) => (byte)quality;

    /// <summary>The first defect of a flags byte (created, not thrown), or null; the level in <paramref name="quality"/>.</summary>
    internal static FrameFormatException? FromFlags(byte flags, byte version, out FrameQuality quality)
    {
        quality = (FrameQuality)(flags & FlagMask);
        if ((flags & ~FlagMask) != 0)
        {
            return new FrameFormatException(
                FrameError.UnknownFlags,
                $"unknown flags 0x{flags:x2}: format version {version} defines only bits 0-1 (the quality level), bits 2-7 must be 0");
        }

        return null;
    }
}

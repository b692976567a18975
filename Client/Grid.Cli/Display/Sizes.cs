using System.Globalization;

namespace Grid.Cli.Display;

/// <summary>Byte counts for people: "812 B", "14.2 KB", "3.07 MB" (decimal units).</summary>
public static class Sizes
{
    public static string Format(long bytes) => bytes switch
    {
        < 1_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.#} KB"),
        < 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.##} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.##} GB"),
    };
}

namespace Grid.Evaluation;

/// <summary>Where the cwebp and dwebp executables (Debian package <c>webp</c>) are; bare names are looked up on PATH.</summary>
/// <param name="Cwebp">The WebP encoder (default "cwebp").</param>
/// <param name="Dwebp">The WebP decoder (default "dwebp").</param>
public sealed record WebpTools(string Cwebp = "cwebp", string Dwebp = "dwebp")
{
    /// <summary>cwebp and dwebp from PATH.</summary>
    public static WebpTools Default { get; } = new();
}

namespace Grid.Imaging;

/// <summary>Where the ffmpeg and ffprobe executables are; bare names are looked up on PATH.</summary>
/// <param name="Ffmpeg">The ffmpeg executable (default "ffmpeg").</param>
/// <param name="Ffprobe">The ffprobe executable (default "ffprobe").</param>
public sealed record VideoTools(string Ffmpeg = "ffmpeg", string Ffprobe = "ffprobe")
{
    /// <summary>ffmpeg and ffprobe from PATH.</summary>
    public static VideoTools Default { get; } = new();
}

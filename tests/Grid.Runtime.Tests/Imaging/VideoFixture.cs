namespace Grid.Runtime.Tests.Imaging;

/// <summary>Test videos made once per test class with ffmpeg's testsrc, in a temporary directory.</summary>
public sealed class VideoFixture : IDisposable
{
    public VideoFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("grid-video-").FullName;
        TenFrames = Path.Combine(Directory, "t.avi");
        TestImages.RunTool(
            "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-frames:v", "10", "-c:v", "mpeg4", TenFrames);

        // ffmpeg's own rgb24 decode of the same file: what the reader must return, byte for byte.
        TenFramesRgb = Path.Combine(Directory, "t.rgb");
        TestImages.RunTool("ffmpeg", "-v", "error", "-y", "-i", TenFrames, "-f", "rawvideo", "-pix_fmt", "rgb24", TenFramesRgb);

        // The same frames with a quarter-turn display matrix: players (and ffmpeg) show them 48x64.
        Rotated = Path.Combine(Directory, "rotated.mp4");
        TestImages.RunTool("ffmpeg", "-v", "error", "-y", "-i", TenFrames, "-c", "copy", "-metadata:s:v:0", "rotate=90", Rotated);
    }

    public string Directory { get; }

    public string TenFrames { get; }

    public string TenFramesRgb { get; }

    public string Rotated { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

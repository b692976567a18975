using Grid.Contracts.Frames;
using Grid.Imaging;

namespace Grid.Cli.Streaming;

/// <summary>Opens a push SOURCE: a folder of images, one image (or VQF frame) file, or a video file.</summary>
public static class FrameSources
{
    public static IFrameSource Open(string path, ImageFileFormat videoUploadFormat)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            return ImageFilesSource.FromDirectory(fullPath);
        }
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"SOURCE '{path}' does not exist (give a video file, an image, or a folder of images)", fullPath);
        }
        if (ImageFilesSource.Extensions.Contains(Path.GetExtension(fullPath), StringComparer.OrdinalIgnoreCase) || LooksLikeImageOrFrame(fullPath))
        {
            return new ImageFilesSource([fullPath], $"file {Path.GetFileName(fullPath)}");
        }
        return new VideoSource(fullPath, videoUploadFormat);
    }

    private static bool LooksLikeImageOrFrame(string path)
    {
        Span<byte> start = stackalloc byte[8];
        using FileStream file = File.OpenRead(path);
        int read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        return ImageFile.Detect(start[..read]) is not null || start[..read].StartsWith(VqfFormat.Magic);
    }
}

using System.Diagnostics;

namespace Grid.Imaging;

/// <summary>Starts ffmpeg/ffprobe with stdout piped to us and stderr drained into a tail.</summary>
internal static class MediaTool
{
    /// <summary>Starts <paramref name="executable"/>; a missing executable becomes a <see cref="VideoException"/>.</summary>
    internal static Process Start(string executable, IEnumerable<string> arguments, StderrTail stderr)
    {
        Process process = ExternalTool.Start(executable, arguments, (reason, inner) => new VideoException(
            $"cannot run '{executable}': {reason}; install ffmpeg (Debian: apt-get install ffmpeg) or pass its path in VideoTools", inner));
        stderr.Attach(process);
        return process;
    }

    /// <summary>ffmpeg's "file:" protocol prefix keeps a path from being read as an option or another protocol.</summary>
    internal static string InputArgument(string fullPath) => "file:" + fullPath;
}

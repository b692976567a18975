using System.ComponentModel;
using System.Diagnostics;

namespace Grid.Grains.Imaging;

/// <summary>Starts ffmpeg/ffprobe with stdout piped to us and stderr drained into a tail.</summary>
internal static class MediaTool
{
    /// <summary>Starts <paramref name="executable"/>; a missing executable becomes a <see cref="VideoException"/>.</summary>
    internal static Process Start(string executable, IEnumerable<string> arguments, StderrTail stderr)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new VideoException($"{executable} did not start");
        }
        catch (Win32Exception exception)
        {
            throw new VideoException(
                $"cannot run '{executable}': {exception.Message}; install ffmpeg (Debian: apt-get install ffmpeg) or pass its path in VideoTools",
                exception);
        }

        stderr.Attach(process);
        return process;
    }

    /// <summary>ffmpeg's "file:" protocol prefix keeps a path from being read as an option or another protocol.</summary>
    internal static string InputArgument(string fullPath) => "file:" + fullPath;
}

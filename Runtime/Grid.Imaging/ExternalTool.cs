using System.ComponentModel;
using System.Diagnostics;

namespace Grid.Imaging;

/// <summary>Starts an external command-line tool (ffmpeg, cwebp, ...) directly, no shell, with stdout and stderr piped to us.</summary>
internal static class ExternalTool
{
    /// <summary>
    /// Starts <paramref name="executable"/>. When it cannot start (missing, not executable), throws the exception
    /// <paramref name="cannotRun"/> makes from the reason, so each caller names its own package to install.
    /// </summary>
    internal static Process Start(string executable, IEnumerable<string> arguments, Func<string, Exception?, Exception> cannotRun)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            return Process.Start(start) ?? throw cannotRun("it did not start", null);
        }
        catch (Win32Exception exception)
        {
            throw cannotRun(exception.Message, exception);
        }
    }
}

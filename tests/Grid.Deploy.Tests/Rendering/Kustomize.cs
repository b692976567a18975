using System.ComponentModel;
using System.Diagnostics;

namespace Grid.Deploy.Tests.Rendering;

/// <summary>Renders a kustomization directory with <c>kubectl kustomize</c>, as a person deploying Grid would.</summary>
public static class Kustomize
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The multi-document YAML that <c>kubectl kustomize <paramref name="directory"/></c> prints
    /// (<paramref name="kubectl"/>: the executable, found on PATH).
    /// </summary>
    /// <exception cref="InvalidOperationException">kubectl is missing, fails, or does not finish within a minute.</exception>
    public static string Render(string directory, string kubectl = "kubectl")
    {
        var start = new ProcessStartInfo(kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"kubectl with kustomize is required to render {directory} (`kubectl kustomize`, kubectl 1.27 or later); " +
                $"it could not be started: {e.Message}", e);
        }
        using (process)
        {
            // Both pipes are drained concurrently so a large render cannot block on a full stderr pipe.
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"kubectl kustomize {directory} did not finish within {s_timeout.TotalSeconds} s");
            }
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"kubectl kustomize {directory} failed with exit code {process.ExitCode}: {errors.GetAwaiter().GetResult().Trim()}");
            }
            return output.GetAwaiter().GetResult();
        }
    }
}

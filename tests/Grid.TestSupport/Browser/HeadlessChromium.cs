using System.Diagnostics;

namespace Grid.TestSupport.Browser;

/// <summary>
/// A real headless Chromium (Debian package chromium, installed by <c>./grid setup</c>): a one-shot DOM dump, or a
/// browser driven over the Chrome DevTools protocol (<see cref="ChromiumBrowser"/>).
/// </summary>
public static class HeadlessChromium
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    /// <summary>The chromium executable on PATH; fails the test (never skips it) when there is none.</summary>
    public static string Executable()
    {
        string? path = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "chromium"))
            .FirstOrDefault(File.Exists);
        Assert.True(path is not null, "chromium is not installed (Debian package chromium): run ./grid setup");
        return path;
    }

    /// <summary>
    /// The switches every run uses: headless, no sandbox (tests run as root), and no background network services,
    /// whose connections this closed network refuses. <paramref name="profile"/> is a fresh user-data directory.
    /// </summary>
    public static IEnumerable<string> CommonArguments(string profile) =>
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        $"--user-data-dir={profile}",
    ];

    /// <summary>A fresh, empty profile directory (the caller deletes it).</summary>
    public static string NewProfile()
    {
        string profile = Path.Combine(Path.GetTempPath(), "grid-chromium-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(profile);
        return profile;
    }

    /// <summary>
    /// <c>chromium --headless ... --virtual-time-budget=10000 --dump-dom file://PAGE</c> with a fresh profile and no
    /// network services: the serialised DOM once the page has loaded and 10 s of virtual time have passed.
    /// </summary>
    public static string DumpDom(string page)
    {
        string profile = NewProfile();
        try
        {
            var start = new ProcessStartInfo(Executable())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in CommonArguments(profile).Concat(["--virtual-time-budget=10000", "--dump-dom", new Uri(page).AbsoluteUri]))
            {
                start.ArgumentList.Add(argument);
            }
            using Process process = Process.Start(start)!;
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"chromium did not finish in {s_timeout.TotalMinutes} minutes; stderr:\n{error.Result}");
            }
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}; stderr:\n{error.Result}");
            return output.Result;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}

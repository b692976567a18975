using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Grid.TestSupport.Browser;

/// <summary>
/// A headless Chromium process with the DevTools protocol on a free loopback port (<c>--remote-debugging-port=0</c>;
/// the port is read from the profile's <c>DevToolsActivePort</c> file). <see cref="OpenPageAsync"/> attaches to its
/// page. Dispose kills the browser and deletes its profile.
/// </summary>
public sealed class ChromiumBrowser : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ConcurrentQueue<string> _log = new();

    private readonly int _width;
    private readonly int _height;

    private ChromiumBrowser(Process process, string profile, int width, int height)
    {
        _process = process;
        _profile = profile;
        _width = width;
        _height = height;
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.OutputDataReceived += (_, e) => Collect(e.Data);
    }

    /// <summary>The DevTools HTTP endpoint, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri DevTools { get; private set; } = null!;

    /// <summary>What the browser wrote to stdout and stderr (its last lines).</summary>
    public string LogText() => string.Join('\n', _log);

    /// <summary>Starts the browser on about:blank; its pages get a <paramref name="width"/> x <paramref name="height"/> viewport.</summary>
    public static async Task<ChromiumBrowser> StartAsync(int width = 1280, int height = 900)
    {
        string profile = HeadlessChromium.NewProfile();
        var start = new ProcessStartInfo(HeadlessChromium.Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in HeadlessChromium.CommonArguments(profile).Concat(
        [
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--hide-scrollbars",
            $"--window-size={width.ToString(CultureInfo.InvariantCulture)},{height.ToString(CultureInfo.InvariantCulture)}",
            "about:blank",
        ]))
        {
            start.ArgumentList.Add(argument);
        }
        var browser = new ChromiumBrowser(Process.Start(start)!, profile, width, height);
        browser._process.BeginErrorReadLine();
        browser._process.BeginOutputReadLine();
        try
        {
            browser.DevTools = await browser.WaitForDevToolsAsync().ConfigureAwait(false);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Attaches to the browser's page, sets its viewport and navigates it to <paramref name="url"/> (returns once it has loaded).</summary>
    public async Task<ChromiumPage> OpenPageAsync(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var http = new HttpClient { BaseAddress = DevTools, Timeout = TimeSpan.FromSeconds(30) };
        JsonElement targets = await http.GetFromJsonAsync<JsonElement>("json/list").ConfigureAwait(false);
        string socketUrl = targets.EnumerateArray()
            .Where(t => t.GetProperty("type").GetString() == "page")
            .Select(t => t.GetProperty("webSocketDebuggerUrl").GetString())
            .FirstOrDefault() ?? throw new InvalidOperationException($"chromium lists no page target: {targets}");
        ChromiumPage page = await ChromiumPage.ConnectAsync(new Uri(socketUrl)).ConfigureAwait(false);
        try
        {
            await page.SetViewportAsync(_width, _height).ConfigureAwait(false);
            await page.NavigateAsync(url).ConfigureAwait(false);
            return page;
        }
        catch
        {
            await page.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills the browser and deletes its profile.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
        TestPaths.DeleteDirectory(_profile);
    }

    private async Task<Uri> WaitForDevToolsAsync()
    {
        string portFile = Path.Combine(_profile, "DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < s_startTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"chromium exited with {_process.ExitCode} while starting:\n{LogText()}");
            }
            if (File.Exists(portFile) && (await File.ReadAllLinesAsync(portFile).ConfigureAwait(false)) is [var port, ..] && int.TryParse(port, out int number))
            {
                return new Uri($"http://127.0.0.1:{number.ToString(CultureInfo.InvariantCulture)}/");
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        throw new InvalidOperationException($"chromium did not open its DevTools port within {s_startTimeout.TotalSeconds:0} s:\n{LogText()}");
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }
        _log.Enqueue(line);
        while (_log.Count > 200)
        {
            _log.TryDequeue(out _);
        }
    }
}

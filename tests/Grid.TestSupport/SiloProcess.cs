using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Grid.TestSupport;

/// <summary>
/// A real silo process (<c>dotnet artifacts/bin/Grid.Silo/&lt;config&gt;/Grid.Silo.dll</c>) on 127.0.0.1 and a free
/// port, for end-to-end tests. <see cref="StartAsync"/> returns once <c>/health/ready</c> answers 200 and throws with
/// the silo's log tail when it does not. Dispose kills it; <see cref="TerminateAsync"/> sends SIGTERM (a graceful stop).
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    /// <summary>The bootstrap admin key test silos start with unless told otherwise (<see cref="SiloProcessOptions.AdminKey"/>).</summary>
    public const string TestAdminKey = "grid-test-admin-key-0123456789abcdef";

    private const int StartAttempts = 3;

    private static readonly ConcurrentDictionary<SiloProcess, bool> s_running = new();

    private readonly ConcurrentQueue<string> _log = new();
    private readonly Process _process;

    static SiloProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (SiloProcess silo in s_running.Keys)
        {
            silo.Kill();
        }
    };

    private readonly int _keptLogLines;

    private SiloProcess(Process process, int port, string? adminKey, int keptLogLines)
    {
        _process = process;
        _keptLogLines = keptLogLines;
        AdminKey = adminKey;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
    }

    /// <summary>The silo's bootstrap admin key (null when it has none).</summary>
    public string? AdminKey { get; }

    /// <summary>The port the silo listens on.</summary>
    public int Port { get; }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The silo's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once the process exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code (after exit).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>The silo assembly the tests run: the configuration (release/debug) the test binaries were built in.</summary>
    public static string SiloAssembly
    {
        get
        {
            string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
            return TestPaths.InRepo("artifacts", "bin", "Grid.Silo", configuration, "Grid.Silo.dll");
        }
    }

    /// <summary>Starts a silo and waits until it is ready (see <see cref="SiloProcessOptions.ReadyTimeout"/>).</summary>
    /// <exception cref="FileNotFoundException">The silo is not built.</exception>
    /// <exception cref="InvalidOperationException">It exited or did not become ready in time; the message holds its log tail.</exception>
    public static async Task<SiloProcess> StartAsync(SiloProcessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string assembly = SiloAssembly;
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"the silo is not built: {assembly} is missing (dotnet build Grid.sln -c Release)", assembly);
        }
        for (int attempt = 1; ; attempt++)
        {
            SiloProcess silo = Launch(assembly, options, FreePort.Next());
            try
            {
                await silo.WaitUntilUpAsync(options.ReadyTimeout).ConfigureAwait(false);
                return silo;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts && silo.LogText().Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await silo.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await silo.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>An HttpClient for the silo that sends <paramref name="apiKey"/> (default: the admin key) on every request.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if ((apiKey ?? AdminKey) is { } key)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }
        return client;
    }

    /// <summary>The last lines the silo wrote (stdout and stderr).</summary>
    public string LogText() => string.Join('\n', _log);

    /// <summary>Sends SIGTERM: the silo drains and stops gracefully.</summary>
    public Task TerminateAsync() => SignalAsync("TERM");

    /// <summary>Sends SIGSTOP: the silo freezes (no answer, no exit), as a hung process or a paused VM does.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>Sends SIGCONT to a paused silo.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        using Process kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await kill.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for the process to exit; returns its exit code.</summary>
    /// <exception cref="TimeoutException">It did not exit in time (the message holds its log tail).</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"silo on port {Port} did not exit within {timeout.TotalSeconds:0} s. Its log:\n{LogText()}");
        }
        return _process.ExitCode;
    }

    /// <summary>Kills the process at once (like a crash).</summary>
    public void Kill()
    {
        s_running.TryRemove(this, out _);
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
    }

    /// <summary>Kills the silo (if still running) and releases the process.</summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private static SiloProcess Launch(string assembly, SiloProcessOptions options, int port)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        start.ArgumentList.Add("--redis");
        start.ArgumentList.Add(options.Redis);
        // Orleans ports of their own: other tests (and other people's tests) run silos on this machine at the same time.
        start.ArgumentList.Add("--silo-port");
        start.ArgumentList.Add(FreePort.Next().ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--gateway-port");
        start.ArgumentList.Add(FreePort.Next().ToString(CultureInfo.InvariantCulture));
        if (options.Model is not null)
        {
            start.ArgumentList.Add("--model");
            start.ArgumentList.Add(options.Model);
        }
        if (options.Name is not null)
        {
            start.ArgumentList.Add("--name");
            start.ArgumentList.Add(options.Name);
        }
        if (options.AdminKey is { } adminKey)
        {
            start.ArgumentList.Add("--Grid:Auth:AdminKey");
            start.ArgumentList.Add(adminKey);
        }
        foreach (string setting in options.Settings)
        {
            start.ArgumentList.Add("--Grid:" + setting);
        }
        start.Environment.Remove("GRID_MODEL");
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("GRID_ADMIN_KEY");
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach ((string name, string value) in options.Environment)
        {
            start.Environment[name] = value;
        }
        var process = new Process { StartInfo = start };
        var silo = new SiloProcess(process, port, options.AdminKey, options.KeptLogLines);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        s_running[silo] = true;
        return silo;
    }

    private async Task WaitUntilUpAsync(TimeSpan? readyTimeout)
    {
        TimeSpan timeout = readyTimeout ?? TimeSpan.FromSeconds(60);
        string path = readyTimeout is null ? "health/live" : "health/ready";
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        string last = "no answer";
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync().ConfigureAwait(false); // drains the output into the log
                throw new InvalidOperationException(
                    $"silo on port {Port} exited with code {_process.ExitCode} while starting. Its log:\n{LogText()}");
            }
            try
            {
                using HttpResponseMessage response = await client.GetAsync(path).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        throw new InvalidOperationException(
            $"silo on port {Port} was not ready within {timeout.TotalSeconds:0} s (last /{path}: {last}). Its log:\n{LogText()}");
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }
        _log.Enqueue(line);
        while (_log.Count > _keptLogLines && _log.TryDequeue(out _))
        {
        }
    }
}

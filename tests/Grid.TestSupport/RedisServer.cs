using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Grid.TestSupport;

/// <summary>
/// A real redis-server on 127.0.0.1 and a free port, in a temporary directory of its own (data, AOF, log), for
/// integration tests. Dispose kills it and deletes the directory; a test host that exits without disposing still
/// kills it.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private const int StartAttempts = 5;

    private static readonly string[] s_searchDirectories = ["/usr/bin", "/usr/local/bin", "/usr/sbin"];
    private static readonly ConcurrentDictionary<RedisServer, bool> s_running = new();

    private readonly RedisServerOptions _options;
    private readonly string _executable;
    private readonly StringBuilder _output = new();
    private Process? _process;

    static RedisServer() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (RedisServer server in s_running.Keys)
        {
            server.Kill();
        }
    };

    private RedisServer(RedisServerOptions options, string executable, string directory, int port)
    {
        _options = options;
        _executable = executable;
        Directory = directory;
        Port = port;
    }

    /// <summary>The port the server listens on (kept across <see cref="RestartAsync"/>).</summary>
    public int Port { get; }

    /// <summary>The server's working directory: its data files and <see cref="LogPath"/>.</summary>
    public string Directory { get; }

    /// <summary>StackExchange.Redis configuration string of the server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The server's log file.</summary>
    public string LogPath => Path.Combine(Directory, "redis.log");

    /// <summary>True while the server process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>
    /// Starts a server and returns once it answers PING.
    /// </summary>
    /// <exception cref="FileNotFoundException">redis-server is not installed (run ./grid setup).</exception>
    /// <exception cref="InvalidOperationException">The server exited or did not answer in time; the message holds its log.</exception>
    public static async Task<RedisServer> StartAsync(RedisServerOptions? options = null)
    {
        options ??= RedisServerOptions.Default;
        string executable = FindExecutable(options.Executable);
        string directory = TestPaths.CreateTempDirectory("grid-redis");
        for (int attempt = 1; ; attempt++)
        {
            var server = new RedisServer(options, executable, directory, FreePort.Next());
            try
            {
                await server.StartProcessAsync().ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts && server.LostPortRace())
            {
                // Another process took the port between FreePort.Next() and the server's bind: try another one.
                await server.StopAsync().ConfigureAwait(false);
                File.Delete(server.LogPath);
            }
            catch
            {
                await server.StopAsync().ConfigureAwait(false);
                TestPaths.DeleteDirectory(directory);
                throw;
            }
        }
    }

    /// <summary>Stops the server: SIGKILL (like a crash: nothing is flushed) or, when <paramref name="graceful"/>, SHUTDOWN.</summary>
    public async Task StopAsync(bool graceful = false)
    {
        if (_process is null)
        {
            return;
        }
        if (graceful && !_process.HasExited)
        {
            await RedisWire.TryCommandAsync(Port, "SHUTDOWN", TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // It did not stop in time: kill it below.
            }
        }
        Kill();
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port and directory after <see cref="StopAsync"/>.</summary>
    /// <exception cref="InvalidOperationException">The server is running, or did not come up (the message holds its log).</exception>
    public Task StartAgainAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"redis-server on port {Port} is already running");
        }
        return StartProcessAsync();
    }

    /// <summary>Stops the server (see <see cref="StopAsync"/>) and starts it again on the same port and directory.</summary>
    public async Task RestartAsync(bool graceful = false)
    {
        await StopAsync(graceful).ConfigureAwait(false);
        await StartProcessAsync().ConfigureAwait(false);
    }

    /// <summary>The server's log so far, and what it wrote to stdout/stderr before its log file opened.</summary>
    public string ReadLog()
    {
        string log = File.Exists(LogPath) ? File.ReadAllText(LogPath) : "(no log file)";
        lock (_output)
        {
            return _output.Length == 0 ? log : $"{log}\n--- stdout/stderr ---\n{_output}";
        }
    }

    /// <summary>Kills the server and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        TestPaths.DeleteDirectory(Directory);
    }

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo(_executable)
        {
            WorkingDirectory = Directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in Arguments())
        {
            start.ArgumentList.Add(argument);
        }
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        s_running[this] = true;
        await WaitUntilReadyAsync(process).ConfigureAwait(false);
    }

    private List<string> Arguments()
    {
        List<string> arguments =
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", Directory,
            "--logfile", LogPath,
            "--daemonize", "no",
            "--save", "",
        ];
        if (_options.AppendOnly is { } fsync)
        {
            arguments.AddRange(["--appendonly", "yes", "--appendfsync", fsync.ToString().ToLowerInvariant()]);
        }
        else
        {
            arguments.AddRange(["--appendonly", "no"]);
        }
        arguments.AddRange(_options.ExtraArguments);
        return arguments;
    }

    private async Task WaitUntilReadyAsync(Process process)
    {
        var clock = Stopwatch.StartNew();
        string? lastReply = null;
        while (clock.Elapsed < _options.StartTimeout)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync().ConfigureAwait(false); // drains stdout/stderr into the log text
                throw new InvalidOperationException(
                    $"redis-server on port {Port} exited with code {process.ExitCode} while starting. Its log:\n{ReadLog()}");
            }
            lastReply = await RedisWire.TryCommandAsync(Port, "PING", TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            if (lastReply == "+PONG")
            {
                return;
            }
            // Nothing listening yet, or "-LOADING" while an AOF is replayed.
            await Task.Delay(25).ConfigureAwait(false);
        }
        throw new InvalidOperationException(
            $"redis-server on port {Port} did not answer PING within {_options.StartTimeout.TotalSeconds:0.#} s " +
            $"(last reply: {lastReply ?? "none"}). Its log:\n{ReadLog()}");
    }

    private bool LostPortRace() => ReadLog().Contains("Address already in use", StringComparison.OrdinalIgnoreCase);

    private void Collect(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private void Kill()
    {
        s_running.TryRemove(this, out _);
        try
        {
            if (_process is { HasExited: false })
            {
                _process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    private static string FindExecutable(string? configured)
    {
        if (configured is not null)
        {
            return File.Exists(configured)
                ? configured
                : throw new FileNotFoundException($"redis-server executable '{configured}' does not exist; run ./grid setup to install redis-server", configured);
        }
        IEnumerable<string> directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(s_searchDirectories);
        foreach (string directory in directories)
        {
            string candidate = Path.Combine(directory, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException(
            "redis-server was not found on PATH nor in /usr/bin or /usr/local/bin; run ./grid setup (it installs the redis-server package)",
            "redis-server");
    }
}

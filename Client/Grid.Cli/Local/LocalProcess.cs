using System.Diagnostics;
using System.Globalization;

namespace Grid.Cli.Local;

/// <summary>A child process whose output goes to a log file; stopped with SIGTERM (graceful), then killed if it lingers.</summary>
internal sealed class LocalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private LocalProcess(Process process, StreamWriter log, string logPath)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public string LogPath { get; }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public static LocalProcess Start(string fileName, IEnumerable<string> arguments, string logPath, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            log.Dispose();
            throw new InvalidOperationException($"cannot start {fileName}: {e.Message} (./grid setup installs what Grid needs)", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new LocalProcess(process, log, logPath);
    }

    /// <summary>The last lines of the log, for error messages.</summary>
    public string LogTail(int lines = 30)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            string[] all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (Process kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
            {
                await kill.WaitForExitAsync();
            }
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // the process outlived its log: the last lines of a shutdown are dropped
            }
        }
    }
}

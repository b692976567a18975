using System.Diagnostics;
using System.Text;

namespace Grid.Imaging;

/// <summary>
/// Drains a child process's stderr as it is written (so the child never blocks on a full pipe) and keeps only
/// the last lines, for error messages.
/// </summary>
internal sealed class StderrTail
{
    private const int MaxLines = 20;
    private const int MaxLineLength = 500;

    private readonly Queue<string> _lines = new();
    private readonly Lock _lock = new();

    /// <summary>Starts collecting; call after <see cref="Process.Start()"/>.</summary>
    internal void Attach(Process process)
    {
        process.ErrorDataReceived += (_, line) => Add(line.Data);
        process.BeginErrorReadLine();
    }

    /// <summary>The kept lines joined by newlines, or "(no output on stderr)".</summary>
    public override string ToString()
    {
        lock (_lock)
        {
            if (_lines.Count == 0)
            {
                return "(no output on stderr)";
            }

            var text = new StringBuilder();
            foreach (string line in _lines)
            {
                text.Append(text.Length == 0 ? string.Empty : "\n").Append(line);
            }

            return text.ToString();
        }
    }

    private void Add(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        lock (_lock)
        {
            _lines.Enqueue(line.Length > MaxLineLength ? line[..MaxLineLength] + "..." : line);
            while (_lines.Count > MaxLines)
            {
                _lines.Dequeue();
            }
        }
    }
}

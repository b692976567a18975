using System.Collections.Concurrent;
using System.Diagnostics;
using Grid.Client;
using Grid.Contracts.Api;

namespace Grid.Cli.Streaming;

/// <summary>Counters of a push, updated by the sender and the acknowledgement reader, read by the display.</summary>
public sealed class PushStats
{
    private readonly ConcurrentDictionary<long, string> _inFlight = new();
    private long _sent;
    private long _stored;
    private long _duplicates;
    private long _refused;
    private long _uploadedBytes;
    private long _storedBytes;

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public long Sent => Interlocked.Read(ref _sent);

    public long Stored => Interlocked.Read(ref _stored);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Refused => Interlocked.Read(ref _refused);

    public long Acknowledged => Stored + Duplicates + Refused;

    public long UploadedBytes => Interlocked.Read(ref _uploadedBytes);

    /// <summary>Stored size of the frames this push stored or found already stored.</summary>
    public long StoredBytes => Interlocked.Read(ref _storedBytes);

    /// <summary>The first refused frame, described for people; null while none was refused.</summary>
    public string? FirstRefusal { get; private set; }

    /// <summary>Acknowledged frames per second since the push started.</summary>
    public double FramesPerSecond => Acknowledged / Math.Max(Clock.Elapsed.TotalSeconds, 1e-3);

    /// <summary>Call before sending, so an outcome arriving at once finds the frame's name.</summary>
    public void OnSending(long sequence, SourceFrame frame) => _inFlight[sequence] = frame.Name;

    public void OnSent(SourceFrame frame)
    {
        Interlocked.Increment(ref _sent);
        Interlocked.Add(ref _uploadedBytes, frame.Payload.Length);
    }

    public void OnOutcome(IngestAck ack)
    {
        _inFlight.TryRemove(ack.Sequence, out string? name);
        switch (ack.Status)
        {
            case IngestStatus.Stored:
                Interlocked.Increment(ref _stored);
                Interlocked.Add(ref _storedBytes, ack.Bytes ?? 0);
                break;
            case IngestStatus.Duplicate:
                Interlocked.Increment(ref _duplicates);
                Interlocked.Add(ref _storedBytes, ack.Bytes ?? 0);
                break;
            default:
                Interlocked.Increment(ref _refused);
                FirstRefusal ??= $"frame {ack.Sequence} ({name ?? "?"}) was refused: {ack.Code ?? ack.Status}: {ack.Message}";
                break;
        }
    }
}

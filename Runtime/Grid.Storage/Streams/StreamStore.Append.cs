using System.Globalization;
using System.Runtime.InteropServices;
using Grid.Contracts.Api;
using StackExchange.Redis;

namespace Grid.Storage.Streams;

public sealed partial class StreamStore
{
    /// <summary>Most frames one script call appends; larger batches are split (each part atomic on its own).</summary>
    public const int MaxFramesPerScript = 256;

    /// <summary>Most frame bytes one script call carries, so a batch of large frames never stalls Redis for long.</summary>
    public const int MaxBytesPerScript = 8 << 20;

    /// <summary>Largest image side a frame may declare (VQF stores sides as u16).</summary>
    public const int MaxDimension = ushort.MaxValue;

    private const int ArgumentsPerFrame = 6;

    private static readonly RedisScript s_appendScript = RedisScript.FromResource("append.lua");

    /// <summary>
    /// Appends one frame. The outcome says whether it was stored, was already stored under its sequence number
    /// (an idempotent retry), or was rejected as out of order or of the wrong image size, or — for a frame coded
    /// against another (<see cref="FrameToAppend.Reference"/>) — because that frame is no longer the stream's last.
    /// </summary>
    /// <remarks>
    /// Cancellation is checked before the round trip; once sent, the append completes (stored or not, atomically) and a
    /// retry with the same sequence number answers <see cref="AppendStatus.Duplicate"/> if it was stored.
    /// </remarks>
    /// <exception cref="ArgumentException">A bad tenant or stream name, or a bad frame (see <see cref="FrameToAppend"/>).</exception>
    /// <exception cref="RedisException">Redis failed or could not be reached; the frame may or may not be stored.</exception>
    public async Task<AppendOutcome> AppendAsync(string tenant, string stream, FrameToAppend frame, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        IReadOnlyList<AppendOutcome> outcomes = await AppendBatchAsync(tenant, stream, [frame], cancellationToken).ConfigureAwait(false);
        return outcomes[0];
    }

    /// <summary>
    /// Appends frames of one stream in order, with the rules of <see cref="AppendAsync"/> applied to each frame in turn,
    /// in one round trip per <see cref="MaxFramesPerScript"/> frames. Every frame is validated before any is sent.
    /// </summary>
    /// <returns>One outcome per frame, in the order given.</returns>
    /// <exception cref="ArgumentException">A bad name, or a bad frame (the message names its index).</exception>
    /// <exception cref="RedisException">Redis failed; earlier parts of a split batch may be stored.</exception>
    public async Task<IReadOnlyList<AppendOutcome>> AppendBatchAsync(
        string tenant, string stream, IReadOnlyList<FrameToAppend> frames, CancellationToken cancellationToken = default)
    {
        StreamKeys keys = KeysOf(tenant, stream);
        ArgumentNullException.ThrowIfNull(frames);
        for (int i = 0; i < frames.Count; i++)
        {
            ValidateFrame(frames[i], frames.Count == 1 ? nameof(frames) : $"{nameof(frames)}[{i}]");
        }
        var outcomes = new List<AppendOutcome>(frames.Count);
        int start = 0;
        while (start < frames.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int end = start + 1;
            long bytes = frames[start].Frame.Length;
            while (end < frames.Count && end - start < MaxFramesPerScript && bytes + frames[end].Frame.Length <= MaxBytesPerScript)
            {
                bytes += frames[end].Frame.Length;
                end++;
            }
            await AppendPartAsync(keys, frames, start, end, outcomes).ConfigureAwait(false);
            start = end;
        }
        return outcomes;
    }

    private async Task AppendPartAsync(StreamKeys keys, IReadOnlyList<FrameToAppend> frames, int start, int end, List<AppendOutcome> outcomes)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var values = new RedisValue[2 + ((end - start) * ArgumentsPerFrame)];
        values[0] = now;
        values[1] = PublishNudges ? keys.AppendedChannel : string.Empty;
        int v = 2;
        for (int i = start; i < end; i++)
        {
            FrameToAppend frame = frames[i];
            values[v++] = frame.Sequence is { } sequence ? sequence.ToString(CultureInfo.InvariantCulture) : string.Empty;
            values[v++] = frame.ModelVersion.ToString(CultureInfo.InvariantCulture);
            values[v++] = frame.Width.ToString(CultureInfo.InvariantCulture);
            values[v++] = frame.Height.ToString(CultureInfo.InvariantCulture);
            values[v++] = AsArray(frame.Frame);
            values[v++] = frame.Reference is { } reference ? reference.ToString(CultureInfo.InvariantCulture) : string.Empty;
        }
        IDatabase database = Database;
        // The directory entry lives outside the stream's slot, so it cannot join the script. ZADD NX is idempotent
        // and pipelined with the script (one round trip); the first append's clock reading is the creation time.
        Task<bool> listed = database.SortedSetAddAsync(StreamKeys.Directory, keys.DirectoryMember, now, When.NotExists);
        Task<RedisResult> appended = s_appendScript.EvaluateAsync(database, [keys.Frames, keys.Meta], values);
        await Task.WhenAll(listed, appended).ConfigureAwait(false);
        var replies = (RedisResult[])appended.Result!;
        if (replies.Length != end - start)
        {
            throw new InvalidOperationException($"append script answered {replies.Length} results for {end - start} frames");
        }
        for (int i = 0; i < replies.Length; i++)
        {
            outcomes.Add(ParseOutcome(keys, frames[start + i], (RedisResult[])replies[i]!));
        }
    }

    private static AppendOutcome ParseOutcome(StreamKeys keys, FrameToAppend frame, RedisResult[] reply)
    {
        string status = (string)reply[0]!;
        long sequence = long.Parse((string)reply[1]!, CultureInfo.InvariantCulture);
        string a = (string)reply[2]!;
        string b = (string)reply[3]!;
        string name = keys.DirectoryMember;
        return status switch
        {
            "stored" => new AppendOutcome(AppendStatus.Stored, sequence, ParseUInt(a), ParseInt(b), null),
            "duplicate" => new AppendOutcome(AppendStatus.Duplicate, sequence, ParseUInt(a), ParseInt(b), null),
            "dimension_mismatch" => new AppendOutcome(AppendStatus.DimensionMismatch, sequence, frame.ModelVersion, frame.Frame.Length,
                $"frame {sequence} is {frame.Width}x{frame.Height} but stream {name} was created {a}x{b}"),
            "out_of_order" => new AppendOutcome(AppendStatus.OutOfOrder, sequence, frame.ModelVersion, frame.Frame.Length,
                $"sequence {sequence} is not above stream {name}'s last sequence {a} and was never stored: frames arrive in order (gaps are allowed, going back is not)"),
            "reference_changed" => new AppendOutcome(AppendStatus.ReferenceChanged, sequence, frame.ModelVersion, frame.Frame.Length,
                $"frame {sequence} was coded against frame {frame.Reference} but stream {name}'s last frame is {(a.Length == 0 ? "none" : a)} now: code it again"),
            "exhausted" => new AppendOutcome(AppendStatus.Exhausted, sequence, frame.ModelVersion, frame.Frame.Length,
                $"stream {name}'s last sequence is {a}, the highest accepted ({StreamSequences.Max}): no number is left to assign; delete the stream or use another"),
            _ => throw new InvalidOperationException($"append script answered unknown status '{status}'"),
        };
    }

    private static void ValidateFrame(FrameToAppend? frame, string parameter)
    {
        if (frame is null)
        {
            throw new ArgumentNullException(parameter);
        }
        if (frame.Sequence is { } sequence && !StreamSequences.IsValid(sequence))
        {
            throw new ArgumentOutOfRangeException(parameter, frame.Sequence, $"{parameter}: sequence {frame.Sequence} is outside 0..{StreamSequences.Max}");
        }
        if (frame.Width is < 1 or > MaxDimension || frame.Height is < 1 or > MaxDimension)
        {
            throw new ArgumentOutOfRangeException(parameter, $"{frame.Width}x{frame.Height}", $"{parameter}: image size {frame.Width}x{frame.Height} is outside 1..{MaxDimension} per side");
        }
        if (frame.Frame.IsEmpty)
        {
            throw new ArgumentException($"{parameter}: frame has no bytes", parameter);
        }
        if (frame.Reference is { } reference && (!StreamSequences.IsValid(reference) || (frame.Sequence is { } own && reference >= own)))
        {
            throw new ArgumentOutOfRangeException(parameter, frame.Reference, $"{parameter}: reference {reference} is not a sequence below the frame's own");
        }
        if (frame.Frame.Length > RecordFormat.MaxPayloadLength)
        {
            throw new ArgumentException($"{parameter}: frame is {frame.Frame.Length} bytes; at most {RecordFormat.MaxPayloadLength} are stored", parameter);
        }
    }

    private static byte[] AsArray(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out ArraySegment<byte> segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();

    private static uint ParseUInt(string text) => uint.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static int ParseInt(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}

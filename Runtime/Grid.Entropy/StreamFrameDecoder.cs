using Grid.Contracts.Frames;

namespace Grid.Entropy;

/// <summary>
/// Decodes the stored frames of one stream in sequence order to their indices: version 1 frames and version 2 key
/// frames on their own, a version 2 inter frame against the indices of the frame decoded just before it, which must be
/// the frame its header names. A reader that starts in the middle of a stream first decodes from the self-contained
/// frame (version 1, or a version 2 key frame) before it. An inter frame of coding 4 also needs the history of its group
/// up to its reference (<see cref="ReferenceHistory"/>), which the decoder builds as it goes. Not thread-safe.
/// </summary>
public sealed class StreamFrameDecoder
{
    private ushort[]? _last;
    private ushort[]? _history;

    /// <summary>The sequence of the frame decoded last; null before the first (or after <see cref="Reset"/>).</summary>
    public long? LastSequence { get; private set; }

    /// <summary>The indices of the frame decoded last.</summary>
    public ReadOnlySpan<ushort> LastIndices => _last;

    /// <summary>
    /// The <see cref="ReferenceHistory"/> of the frames decoded since the last self-contained one, up to the last
    /// frame; empty before the first.
    /// </summary>
    public ReadOnlySpan<ushort> History => _history;

    /// <summary>Frames decoded since the last self-contained one (0: the last one was self-contained).</summary>
    public int SinceKey { get; private set; }

    /// <summary>For a version 2 inter frame, the sequence of the frame it is coded against; null for a self-contained frame.</summary>
    /// <exception cref="FrameFormatException">The header is not valid.</exception>
    public static long? ReferenceOf(ReadOnlySpan<byte> frame) =>
        EntropyFrames.ReadHeader(frame).Entropy is { Kind: FrameKind.Inter } header ? (long)header.ReferenceSequence : null;

    /// <summary>Forgets the last frame.</summary>
    public void Reset()
    {
        _last = null;
        _history = null;
        LastSequence = null;
        SinceKey = 0;
    }

    /// <summary>Decodes the stream's frame <paramref name="sequence"/>.</summary>
    /// <param name="sequence">Its sequence number.</param>
    /// <param name="frame">Its bytes.</param>
    /// <param name="prior">The prior of its model version (null when the version has none).</param>
    /// <param name="info">The frame's header values.</param>
    /// <exception cref="FrameFormatException">The bytes are not a valid frame, or do not decode to the indices it records.</exception>
    /// <exception cref="PriorMismatchException">
    /// It needs another prior, or it is an inter frame and the frame decoded before it is not its reference.
    /// </exception>
    public ushort[] Decode(long sequence, ReadOnlySpan<byte> frame, ContextPrior? prior, out FrameInfo info)
    {
        long? reference = ReferenceOf(frame);
        if (reference is { } needed && LastSequence != needed)
        {
            throw new PriorMismatchException(
                $"frame {sequence} is an inter frame coded against frame {needed}; "
                + (LastSequence is { } last ? $"the frame decoded before it is {last}" : "no frame was decoded before it"));
        }
        bool two = EntropyFrames.ReadHeader(frame).Entropy?.Coding == FrameCoding.MixingHistory;
        if (two && SinceKey == 0)
        {
            throw new PriorMismatchException(
                $"frame {sequence} is coded against frame {reference} and the frames of its group before it; frame {reference} was not decoded as an inter frame after {reference - 1}");
        }

        ushort[] indices = EntropyFrames.Decode(frame, prior, reference is null ? default : _last, two ? _history : default, out info);
        _history = reference is null || _history is null || _history.Length != indices.Length * ReferenceHistory.Slots
            ? ReferenceHistory.Start(indices)
            : ReferenceHistory.Next(_history, indices);
        _last = indices;
        LastSequence = sequence;
        SinceKey = reference is null ? 0 : SinceKey + 1;
        return indices;
    }
}

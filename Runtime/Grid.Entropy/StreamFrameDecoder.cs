using Grid.Contracts.Frames;

namespace Grid.Entropy;

/// <summary>
/// Decodes the stored frames of one stream in sequence order to their indices: version 1 frames and version 2 key
/// frames on their own, a version 2 inter frame against the indices of the frame decoded just before it, which must be
/// the frame its header names. A reader that starts in the middle of a stream first decodes from the self-contained
/// frame (version 1, or a version 2 key frame) before it. An inter frame of coding 4 also needs the frame before its
/// reference, which is the one decoded before that (the decoder keeps both). Not thread-safe.
/// </summary>
public sealed class StreamFrameDecoder
{
    private ushort[]? _last;
    private ushort[]? _before;
    private long _beforeSequence;

    /// <summary>The sequence of the frame decoded last; null before the first (or after <see cref="Reset"/>).</summary>
    public long? LastSequence { get; private set; }

    /// <summary>The indices of the frame decoded last.</summary>
    public ReadOnlySpan<ushort> LastIndices => _last;

    /// <summary>
    /// The indices of the frame decoded before the last one when the last one is an inter frame decoded against it
    /// (its sequence is <see cref="LastSequence"/> - 1); empty otherwise.
    /// </summary>
    public ReadOnlySpan<ushort> BeforeIndices => _before;

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
        _before = null;
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
        bool two = EntropyFrames.ReadHeader(frame).Entropy?.Coding == FrameCoding.MixingTwoReferences;
        if (two && (_before is null || _beforeSequence != reference - 1))
        {
            throw new PriorMismatchException(
                $"frame {sequence} is coded against frames {reference} and {reference - 1}; "
                + (_before is null ? $"frame {reference} was not decoded as an inter frame after {reference - 1}" : $"the frame decoded before {reference} is {_beforeSequence}"));
        }

        ushort[] indices = EntropyFrames.Decode(frame, prior, reference is null ? default : _last, two ? _before : default, out info);
        _before = reference is null ? null : _last;
        _beforeSequence = reference ?? 0;
        _last = indices;
        LastSequence = sequence;
        SinceKey = reference is null ? 0 : SinceKey + 1;
        return indices;
    }
}

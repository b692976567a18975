using Grid.Contracts.Frames;

namespace Grid.Entropy;

/// <summary>The last stored frame of a stream: what its next frame is coded against.</summary>
/// <param name="Sequence">Its sequence number.</param>
/// <param name="Info">Its model, size and bits per index.</param>
/// <param name="Indices">Its indices.</param>
/// <param name="SinceKey">Frames since the last self-contained frame (0: it is one).</param>
/// <param name="History">
/// The <see cref="ReferenceHistory"/> of the frames of its group up to and including this one, which the next frame
/// is coded against too (coding 4) when this frame is an inter frame; null when unknown.
/// </param>
public sealed record StreamReference(long Sequence, FrameInfo Info, ushort[] Indices, int SinceKey, ushort[]? History = null);

/// <summary>A frame coded by <see cref="StreamFrameCoder.Code"/>, not yet stored.</summary>
/// <param name="Frame">The VQF bytes: version 2, or version 1 where coding did not make the frame smaller.</param>
/// <param name="Info">Its model, size and bits per index.</param>
/// <param name="Indices">The indices it codes.</param>
/// <param name="Coding">Baseline (the model version has no prior), the learned coding the prior supports, or fixed (version 1).</param>
/// <param name="Kind">Key (self-contained, version 1 included) or inter frame.</param>
/// <param name="ReferenceSequence">For an inter frame, the sequence of the frame it is coded against; null for a key frame.</param>
public sealed record CodedStreamFrame(byte[] Frame, FrameInfo Info, ushort[] Indices, FrameCoding Coding, FrameKind Kind, long? ReferenceSequence);

/// <summary>
/// Codes the frames of one stream as VQF version 2 (docs/entropy-coding.md, "Streams"): each frame an inter frame
/// against the previous stored frame of the stream, except a key frame (spatial context only) for the first frame,
/// after a gap in the sequence numbers, when the model version, image size or quality level changes, and when
/// <see cref="KeyInterval"/> frames have passed since the last one, so that a reader never needs more than that many
/// frames. With the model version's prior the learned coder, without one the baseline coder: never another version's
/// prior. An inter frame whose reference is itself an inter frame is also coded against the history of its group
/// (coding 4 with a format 2 prior: the index two frames back and older ones, <see cref="ReferenceHistory"/>),
/// which a reader decoding from the key frame has anyway. A frame that coding would make larger than its fixed-rate (VQF v1) frame is kept as that, a self-contained
/// frame like a key frame. The offline evaluation (<c>grid eval --stream</c>) and the stream grain both code with it. Not thread-safe.
/// </summary>
public sealed class StreamFrameCoder
{
    /// <summary>Creates a coder that writes a key frame at least every <paramref name="keyInterval"/> frames.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keyInterval"/> is below 1.</exception>
    public StreamFrameCoder(int keyInterval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keyInterval, 1);
        KeyInterval = keyInterval;
    }

    /// <summary>A key frame at least every this many frames (1: every frame is one).</summary>
    public int KeyInterval { get; }

    /// <summary>The last stored frame, which the next inter frame is coded against; null: the next frame is a key frame.</summary>
    public StreamReference? Reference { get; set; }

    /// <summary>Codes a frame; <see cref="Stored"/> makes it the reference once the stream holds it.</summary>
    /// <param name="info">The frame's model, size and bits per index.</param>
    /// <param name="indices">Its indices.</param>
    /// <param name="sequence">Its sequence number; null: the one after the reference's.</param>
    /// <param name="prior">The prior of <paramref name="info"/>'s model version; null when it has none.</param>
    /// <exception cref="ArgumentException">The prior belongs to another model.</exception>
    public CodedStreamFrame Code(FrameInfo info, ushort[] indices, long? sequence, ContextPrior? prior)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(indices);
        if (prior is not null && prior.ModelFingerprint != info.ModelFingerprint)
        {
            throw new ArgumentException(
                $"the prior was trained for model {VqfFormat.FormatFingerprint(prior.ModelFingerprint)}; the frame names {info.FingerprintHex}", nameof(prior));
        }
        StreamReference? reference = Reference;
        bool inter = reference is not null
            && (sequence ?? reference.Sequence + 1) == reference.Sequence + 1
            && reference.Info.ModelVersion == info.ModelVersion
            && reference.Info.ModelFingerprint == info.ModelFingerprint
            && reference.Info.Width == info.Width
            && reference.Info.Height == info.Height
            && reference.Info.BitsPerIndex == info.BitsPerIndex
            && reference.Info.Quality == info.Quality
            && reference.SinceKey + 1 < KeyInterval;
        FrameCoding coding = prior is null ? FrameCoding.Baseline : FrameCoding.Learned;
        byte[] frame = inter
            ? EntropyFrames.Encode(info, indices, coding, prior, reference!.Indices, (ulong)reference.Sequence, reference.SinceKey > 0 ? reference.History : null)
            : EntropyFrames.Encode(info, indices, coding, prior);
        if (frame.Length >= VqfFormat.HeaderLength + IndexPacking.PackedLength(info.IndexCount, info.BitsPerIndex))
        {
            // Coding did not pay (a tiny or noise-like image: version 2's header is 18 bytes longer): the fixed-rate
            // frame, which is self-contained too, so a stream never stores more than fixed-rate frames would.
            return new CodedStreamFrame(VqfWriter.Write(info, indices), info, indices, FrameCoding.Fixed, FrameKind.Key, null);
        }
        FrameCoding written = EntropyFrames.ReadHeader(frame).Entropy!.Coding;
        return new CodedStreamFrame(frame, info, indices, written, inter ? FrameKind.Inter : FrameKind.Key, inter ? reference!.Sequence : null);
    }

    /// <summary>Makes <paramref name="frame"/>, stored under <paramref name="sequence"/>, the reference of the next frame.</summary>
    public void Stored(CodedStreamFrame frame, long sequence)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Reference = frame.Kind == FrameKind.Key || Reference?.History is null
            ? new StreamReference(sequence, frame.Info, frame.Indices, frame.Kind == FrameKind.Key ? 0 : Reference!.SinceKey + 1, frame.Kind == FrameKind.Key ? ReferenceHistory.Start(frame.Indices) : null)
            : new StreamReference(sequence, frame.Info, frame.Indices, Reference.SinceKey + 1, ReferenceHistory.Next(Reference.History, frame.Indices));
    }
}

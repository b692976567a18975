using Grid.Contracts.Frames;

namespace Grid.Entropy;

/// <summary>
/// Frames of either version: version 1 (fixed rate, packed) and version 2 (entropy-coded, docs/frame-format.md).
/// Encoding picks the layout from the <see cref="FrameCoding"/>; decoding reads the version byte. A version 2
/// frame decodes only with the prior it names and, for an inter frame, the reference frame's indices, and only
/// to indices whose checksum matches the header: it never decodes to a wrong image.
/// </summary>
public static class EntropyFrames
{
    /// <summary>Writes a frame: version 1 for <see cref="FrameCoding.Fixed"/>, else a version 2 key or inter frame.</summary>
    /// <param name="info">Model, size and bits per index.</param>
    /// <param name="indices">The indices.</param>
    /// <param name="coding">How to code them.</param>
    /// <param name="prior">The model's prior (learned coding).</param>
    /// <param name="previous">For an inter frame: the reference frame's indices; empty for a key frame.</param>
    /// <param name="referenceSequence">For an inter frame: the reference frame's sequence number.</param>
    /// <param name="history">
    /// For an inter frame, optionally: the <see cref="ReferenceHistory"/> of the frames of the group up to the reference
    /// (the reference and at least the frame before it, sequence <paramref name="referenceSequence"/> - 1). With learned
    /// coding and a format 2 prior the frame is then coded against it (<see cref="FrameCoding.MixingHistory"/>);
    /// other codings do not use it.
    /// </param>
    public static byte[] Encode(
        FrameInfo info, ReadOnlySpan<ushort> indices, FrameCoding coding, ContextPrior? prior,
        ReadOnlySpan<ushort> previous = default, ulong referenceSequence = 0, ReadOnlySpan<ushort> history = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (coding == FrameCoding.Fixed)
        {
            if (!previous.IsEmpty)
            {
                throw new ArgumentException("fixed-rate frames are self-contained: no previous frame", nameof(previous));
            }

            return VqfWriter.Write(info, indices);
        }

        if (coding == FrameCoding.Learned && prior?.Mix is not null)
        {
            // "Learned" is the best coder the prior supports: a format 2 prior codes with the mixing coder.
            coding = FrameCoding.Mixing;
        }

        if (coding is FrameCoding.Mixing or FrameCoding.MixingHistory)
        {
            bool two = !previous.IsEmpty && !history.IsEmpty;
            if (two && referenceSequence == 0)
            {
                throw new ArgumentException("a frame coded against two references needs a reference sequence of at least 1 (the second is the one before it)", nameof(referenceSequence));
            }

            coding = two ? FrameCoding.MixingHistory : FrameCoding.Mixing;
        }

        int codebookSize = coding is FrameCoding.Learned or FrameCoding.Mixing or FrameCoding.MixingHistory && prior is not null
            ? prior.CodebookSize : 1 << info.BitsPerIndex;
        byte[] payload = IndexCoder.Encode(
            indices, info.LatentWidth, info.LatentHeight, coding, codebookSize, prior, previous,
            coding == FrameCoding.MixingHistory ? history : default);
        var header = new EntropyFrameHeader(
            info,
            coding,
            previous.IsEmpty ? FrameKind.Key : FrameKind.Inter,
            coding switch
            {
                FrameCoding.Learned => prior!.LegacyFingerprint,
                FrameCoding.Mixing or FrameCoding.MixingHistory => prior!.Fingerprint,
                _ => 0u,
            },
            previous.IsEmpty ? 0 : referenceSequence,
            IndexChecksum.Compute(indices),
            payload.Length);
        return VqfEntropyWriter.Write(header, payload);
    }

    /// <summary>
    /// A key frame (spatial context only) with the model's learned prior: the mixing coder (coding 3) for a format 2
    /// prior, the format 1 coder (coding 2) for a format 1 prior.
    /// </summary>
    public static byte[] EncodeKey(FrameInfo info, ReadOnlySpan<ushort> indices, ContextPrior prior)
    {
        ArgumentNullException.ThrowIfNull(prior);
        return Encode(info, indices, FrameCoding.Learned, prior);
    }

    /// <summary>
    /// An inter frame: <paramref name="current"/> coded against <paramref name="previous"/>, the indices of the
    /// stream's frame <paramref name="referenceSequence"/> (which the header names and decoding needs), with the
    /// model's learned prior; given <paramref name="history"/>, the <see cref="ReferenceHistory"/> of its group up to
    /// the reference (which includes frame <paramref name="referenceSequence"/> - 1), a format 2 prior codes it against
    /// that too (coding 4).
    /// </summary>
    /// <exception cref="ArgumentException">No previous indices, or of another size.</exception>
    public static byte[] EncodeInter(
        FrameInfo info, ReadOnlySpan<ushort> current, ReadOnlySpan<ushort> previous, ulong referenceSequence, ContextPrior prior,
        ReadOnlySpan<ushort> history = default)
    {
        ArgumentNullException.ThrowIfNull(prior);
        if (previous.IsEmpty)
        {
            throw new ArgumentException("an inter frame needs the reference frame's indices; use EncodeKey for a key frame", nameof(previous));
        }

        return Encode(info, current, FrameCoding.Learned, prior, previous, referenceSequence, history);
    }

    /// <summary>Reads the header of a frame of either version without decoding it.</summary>
    /// <returns>The frame info, and the version 2 header (null for version 1).</returns>
    public static (FrameInfo Info, EntropyFrameHeader? Entropy) ReadHeader(ReadOnlySpan<byte> frame)
    {
        if (VqfEntropyReader.PeekVersion(frame) == VqfFormat.EntropyVersion)
        {
            EntropyFrameHeader header = VqfEntropyReader.ReadHeader(frame);
            return (header.Info, header);
        }

        return (VqfReader.ReadInfo(frame), null);
    }

    /// <summary>Decodes a frame of either version to its indices.</summary>
    /// <param name="frame">Exactly one frame.</param>
    /// <param name="prior">The model's prior (needed for learned coding).</param>
    /// <param name="previous">The reference frame's indices (needed for an inter frame).</param>
    /// <param name="info">The frame's header values.</param>
    /// <exception cref="FrameFormatException">The bytes are not a valid frame, or do not decode to the recorded indices.</exception>
    /// <exception cref="PriorMismatchException">The frame needs another prior, or a reference frame that was not given.</exception>
    public static ushort[] Decode(ReadOnlySpan<byte> frame, ContextPrior? prior, ReadOnlySpan<ushort> previous, out FrameInfo info) =>
        Decode(frame, prior, previous, default, out info);

    /// <summary>Decodes a frame of either version to its indices.</summary>
    /// <param name="frame">Exactly one frame.</param>
    /// <param name="prior">The model's prior (needed for learned coding).</param>
    /// <param name="previous">The reference frame's indices (needed for an inter frame).</param>
    /// <param name="history">
    /// The <see cref="ReferenceHistory"/> of the group up to the reference (needed for an inter frame of
    /// <see cref="FrameCoding.MixingHistory"/>; ignored otherwise).
    /// </param>
    /// <param name="info">The frame's header values.</param>
    /// <exception cref="FrameFormatException">The bytes are not a valid frame, or do not decode to the recorded indices.</exception>
    /// <exception cref="PriorMismatchException">The frame needs another prior, or a reference frame that was not given.</exception>
    public static ushort[] Decode(
        ReadOnlySpan<byte> frame, ContextPrior? prior, ReadOnlySpan<ushort> previous, ReadOnlySpan<ushort> history, out FrameInfo info)
    {
        (info, EntropyFrameHeader? header) = ReadHeader(frame);
        if (header is null)
        {
            return VqfReader.ReadIndices(frame, out info);
        }

        int codebookSize = 1 << info.BitsPerIndex;
        if (header.Coding is FrameCoding.Learned or FrameCoding.Mixing or FrameCoding.MixingHistory)
        {
            if (prior is null)
            {
                throw new PriorMismatchException(
                    $"frame is coded with prior {VqfFormat.FormatFingerprint(header.PriorFingerprint)}; the model has no prior.bin");
            }

            // A format 2 prior embeds the format 1 prior that coded-2 frames name, so those keep decoding.
            uint loaded = header.Coding == FrameCoding.Learned ? prior.LegacyFingerprint : prior.Fingerprint;
            if (loaded != header.PriorFingerprint || (header.Coding != FrameCoding.Learned && prior.Mix is null))
            {
                throw new PriorMismatchException(
                    $"frame is coded with prior {VqfFormat.FormatFingerprint(header.PriorFingerprint)}; the loaded prior is {VqfFormat.FormatFingerprint(prior.Fingerprint)}"
                    + (prior.Mix is null ? string.Empty : $" (embedding format 1 prior {VqfFormat.FormatFingerprint(prior.LegacyFingerprint)})"));
            }

            codebookSize = prior.CodebookSize;
        }

        if (header.Kind == FrameKind.Inter && previous.IsEmpty)
        {
            throw new PriorMismatchException(
                $"inter frame is coded against sequence {header.ReferenceSequence}: decode needs that frame's indices");
        }

        if (header.Kind == FrameKind.Key)
        {
            previous = default;
        }
        else if (previous.Length != info.IndexCount)
        {
            throw new PriorMismatchException(
                $"inter frame of {info.IndexCount} indices given a reference frame of {previous.Length}");
        }

        if (header.Coding == FrameCoding.MixingHistory)
        {
            if (history.Length != info.IndexCount * ReferenceHistory.Slots)
            {
                throw new PriorMismatchException(
                    $"inter frame is coded against sequence {header.ReferenceSequence} and the frames of its group before it (from {header.ReferenceSequence - 1} back): decode needs their history"
                    + (history.IsEmpty ? string.Empty : $" (the one given covers {history.Length / ReferenceHistory.Slots} positions, not {info.IndexCount})"));
            }
        }
        else
        {
            history = default;
        }

        ushort[] indices;
        try
        {
            indices = IndexCoder.Decode(
                frame[VqfFormat.EntropyHeaderLength..], info.LatentWidth, info.LatentHeight, header.Coding, codebookSize, prior, previous, history);
        }
        catch (ArgumentException ex)
        {
            // The reference frame's indices do not fit this codebook.
            throw new PriorMismatchException(ex.Message);
        }

        uint checksum = IndexChecksum.Compute(indices);
        if (checksum != header.IndexChecksum)
        {
            throw new FrameFormatException(
                FrameError.IndexChecksumMismatch,
                $"decoded indices have checksum 0x{checksum:x8}, the header records 0x{header.IndexChecksum:x8}: " +
                (header.Kind == FrameKind.Inter ? $"wrong reference frame (sequence {header.ReferenceSequence}) or corrupt payload" : "corrupt payload"));
        }

        return indices;
    }
}

using Grid.Contracts.Frames;

namespace Grid.Entropy;

/// <summary>
/// Losslessly codes one latent index map (row-major, <c>latentWidth x latentHeight</c>) into a range-coded
/// payload and back. Key frames use spatial context only; inter frames also the previous frame's indices. The
/// bytes depend on nothing but the indices, the previous indices and the prior: integer arithmetic only, no
/// threads, no floating point.
/// </summary>
public static class IndexCoder
{
    /// <summary>Codes an index map.</summary>
    /// <param name="indices">The indices, each below <paramref name="codebookSize"/>.</param>
    /// <param name="latentWidth">Latent columns.</param>
    /// <param name="latentHeight">Latent rows.</param>
    /// <param name="coding"><see cref="FrameCoding.Baseline"/>, <see cref="FrameCoding.Learned"/> (format 1 tables) or <see cref="FrameCoding.Mixing"/> (format 2).</param>
    /// <param name="codebookSize">K.</param>
    /// <param name="prior">The learned prior (required for <see cref="FrameCoding.Learned"/>, of the same K).</param>
    /// <param name="previous">The previous frame's indices (same size) for an inter frame; empty for a key frame.</param>
    /// <param name="history">For <see cref="FrameCoding.MixingHistory"/>: the <see cref="ReferenceHistory"/> up to the previous frame.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="ArgumentException">Sizes disagree, an index is out of range, or the prior is missing or of another K.</exception>
    public static byte[] Encode(
        ReadOnlySpan<ushort> indices, int latentWidth, int latentHeight, FrameCoding coding, int codebookSize,
        ContextPrior? prior, ReadOnlySpan<ushort> previous = default, ReadOnlySpan<ushort> history = default)
    {
        Check(latentWidth, latentHeight, coding, codebookSize, prior, previous, history, indices.Length, nameof(indices));
        CheckRange(indices, codebookSize, nameof(indices));
        ushort[] map = indices.ToArray();
        var encoder = new RangeEncoder((indices.Length / 2) + 64);
        var io = new EncoderIO(encoder);
        Run(ref io, map, latentWidth, latentHeight, coding, codebookSize, prior, previous, history, encoding: true);
        return encoder.Finish();
    }

    /// <summary>Decodes a payload written by <see cref="Encode"/> with the same arguments.</summary>
    /// <returns>The indices.</returns>
    /// <exception cref="FrameFormatException">The payload is truncated or has bytes left over (<see cref="FrameError.PayloadUndecodable"/>).</exception>
    public static ushort[] Decode(
        ReadOnlySpan<byte> payload, int latentWidth, int latentHeight, FrameCoding coding, int codebookSize,
        ContextPrior? prior, ReadOnlySpan<ushort> previous = default, ReadOnlySpan<ushort> history = default)
    {
        Check(latentWidth, latentHeight, coding, codebookSize, prior, previous, history, latentWidth * latentHeight, "latentWidth");
        ushort[] map = new ushort[latentWidth * latentHeight];
        var io = new DecoderIO(payload);
        Run(ref io, map, latentWidth, latentHeight, coding, codebookSize, prior, previous, history, encoding: false);
        if (io.Overrun > 0)
        {
            throw new FrameFormatException(
                FrameError.PayloadUndecodable,
                $"entropy-coded payload is truncated: {payload.Length} bytes, decoding the {latentWidth}x{latentHeight} indices needed {io.Position}");
        }

        if (io.Position != payload.Length)
        {
            throw new FrameFormatException(
                FrameError.PayloadUndecodable,
                $"entropy-coded payload has {payload.Length - io.Position} byte(s) left after the {latentWidth}x{latentHeight} indices ({payload.Length} bytes, {io.Position} used)");
        }

        return map;
    }

    /// <summary>Throws unless every index is below <paramref name="codebookSize"/>.</summary>
    internal static void CheckRange(ReadOnlySpan<ushort> indices, int codebookSize, string name)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            if (indices[i] >= codebookSize)
            {
                throw new ArgumentException($"index {indices[i]} at position {i} is not below the codebook size {codebookSize}", name);
            }
        }
    }

    private static void Run<TIO>(
        ref TIO io, Span<ushort> map, int width, int height, FrameCoding coding, int codebookSize,
        ContextPrior? prior, ReadOnlySpan<ushort> previous, ReadOnlySpan<ushort> history, bool encoding)
        where TIO : ISymbolIO, allows ref struct
    {
        if (coding == FrameCoding.Mixing)
        {
            MixCoder.Run(ref io, map, width, height, prior!, previous, encoding);
        }
        else if (coding == FrameCoding.MixingHistory)
        {
            MixCoder.Run(ref io, map, width, height, prior!, previous, encoding, history: history);
        }
        else if (coding == FrameCoding.Learned)
        {
            ContextCoder.Run(ref io, map, width, height, prior!, previous, encoding);
        }
        else
        {
            BaselineCoder.Run(ref io, map, width, height, codebookSize, previous, encoding);
        }
    }

    /// <summary>Throws unless <paramref name="history"/> ends with <paramref name="previous"/>, has the index two frames back everywhere, and holds only codes or empty slots.</summary>
    private static void CheckHistory(ReadOnlySpan<ushort> history, ReadOnlySpan<ushort> previous, int codebookSize)
    {
        for (int pos = 0; pos < previous.Length; pos++)
        {
            ReadOnlySpan<ushort> slots = history.Slice(pos * ReferenceHistory.Slots, ReferenceHistory.Slots);
            if (slots[1] != previous[pos] || slots[0] >= codebookSize)
            {
                throw new ArgumentException(
                    $"the reference history does not end with the previous frame and the one before it at position {pos}", nameof(history));
            }

            foreach (ushort value in slots[2..])
            {
                if (value >= codebookSize && value != ReferenceHistory.None)
                {
                    throw new ArgumentException($"the reference history holds {value} at position {pos}, not below the codebook size {codebookSize}", nameof(history));
                }
            }
        }
    }

    private static void Check(
        int latentWidth, int latentHeight, FrameCoding coding, int codebookSize, ContextPrior? prior,
        ReadOnlySpan<ushort> previous, ReadOnlySpan<ushort> history, int count, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latentWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(latentHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(codebookSize, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(codebookSize, 1 << 12);
        if (count != latentWidth * latentHeight)
        {
            throw new ArgumentException($"{count} indices given for a {latentWidth}x{latentHeight} latent map", name);
        }

        if (!previous.IsEmpty)
        {
            if (previous.Length != count)
            {
                throw new ArgumentException($"the previous frame has {previous.Length} indices, this one {count}", nameof(previous));
            }

            CheckRange(previous, codebookSize, nameof(previous));
        }

        if (coding == FrameCoding.MixingHistory)
        {
            if (previous.IsEmpty || history.Length != count * ReferenceHistory.Slots)
            {
                throw new ArgumentException(
                    $"coding {coding} codes an inter frame of {count} indices against the previous frame and its history; given {previous.Length} indices and a history of {history.Length / ReferenceHistory.Slots} positions", nameof(history));
            }

            CheckHistory(history, previous, codebookSize);
        }
        else if (!history.IsEmpty)
        {
            throw new ArgumentException($"only coding {FrameCoding.MixingHistory} takes a reference history", nameof(history));
        }

        switch (coding)
        {
            case FrameCoding.Baseline:
                break;
            case FrameCoding.Learned or FrameCoding.Mixing or FrameCoding.MixingHistory when prior is null:
                throw new ArgumentException("learned coding needs the model's prior (prior.bin)", nameof(prior));
            case FrameCoding.Learned or FrameCoding.Mixing or FrameCoding.MixingHistory when prior.CodebookSize != codebookSize:
                throw new ArgumentException($"the prior codes a codebook of {prior.CodebookSize}, this one has {codebookSize}", nameof(prior));
            case FrameCoding.Mixing or FrameCoding.MixingHistory when prior.Mix is null:
                throw new ArgumentException("mixing coding needs a prior of format 2 (retrain it with `grid train-prior`)", nameof(prior));
            case FrameCoding.Learned or FrameCoding.Mixing or FrameCoding.MixingHistory:
                break;
            default:
                throw new ArgumentException($"coding {coding} is not an entropy coding", nameof(coding));
        }
    }
}

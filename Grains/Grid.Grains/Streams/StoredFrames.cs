using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.Entropy;
using Grid.Grains.Models;
using Grid.Storage.Streams;

namespace Grid.Grains.Streams;

/// <summary>
/// Reads a stream's stored frames as they were coded (VQF v1, or v2 key and inter frames): decodes the last frame for
/// the stream grain to code the next one against, and turns stored frames into self-contained ones for readers
/// (<see cref="OpenChain"/>), walking back to the key frame an inter frame needs. Each frame decodes with the prior
/// of its own model version (<see cref="ModelCache.GetPriorAsync"/>). One per silo; thread-safe.
/// </summary>
public sealed class StoredFrames(StreamStore store, ModelCache models)
{
    /// <summary>Frames read per step when walking back to a key frame.</summary>
    private const int WalkPage = 64;

    /// <summary>
    /// The stream's last frame, decoded, as the next frame is coded against: null when the stream is empty or none of
    /// its last <paramref name="window"/> frames is self-contained (the next frame is then a key frame).
    /// </summary>
    /// <exception cref="StoredFrameException">A stored frame of the chain does not decode.</exception>
    public async Task<StreamReference?> LastAsync(string tenant, string stream, int window, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<StreamRecord> back = await store.ReadBackAsync(tenant, stream, null, window, cancellationToken).ConfigureAwait(false);
        var chain = new StoredFrameChain(this, tenant, stream);
        int key = chain.FindKey(back);
        if (key < 0)
        {
            return null;
        }
        for (int i = key; i >= 0; i--)
        {
            await chain.DecodeAsync(back[i], cancellationToken).ConfigureAwait(false);
        }
        return chain.Reference;
    }

    /// <summary>A reader of one stream's frames in sequence order (a replay, a live subscription, a single frame).</summary>
    public StoredFrameChain OpenChain(string tenant, string stream) => new(this, tenant, stream);

    internal StreamStore Store => store;

    internal ValueTask<ContextPrior?> PriorOfAsync(uint version, CancellationToken cancellationToken) => models.GetPriorAsync(version, cancellationToken);

    /// <summary>Frames read per step when walking back to a key frame.</summary>
    internal static int PageSize => WalkPage;
}

/// <summary>
/// One reader's position in a stream: hands out stored frames as self-contained VQF v1 frames (the exact frame
/// fixed-rate coding would have stored), decoding inter frames against the frame before them and, for a reader that
/// starts in the middle of a group of frames, first reading back to its key frame. Not thread-safe.
/// </summary>
public sealed class StoredFrameChain
{
    private readonly StoredFrames _frames;
    private readonly string _tenant;
    private readonly string _stream;
    private readonly StreamFrameDecoder _decoder = new();
    private FrameInfo? _info;

    internal StoredFrameChain(StoredFrames frames, string tenant, string stream)
    {
        _frames = frames;
        _tenant = tenant;
        _stream = stream;
    }

    /// <summary>The frame decoded last, as a reference to code against; null before the first.</summary>
    internal StreamReference? Reference =>
        _decoder.LastSequence is { } sequence ? new StreamReference(
            sequence, _info!, _decoder.LastIndices.ToArray(), _decoder.SinceKey, _decoder.History.IsEmpty ? null : _decoder.History.ToArray()) : null;

    /// <summary>
    /// <paramref name="record"/> with its frame as a self-contained VQF v1 frame: a v1 frame as stored, a v2 frame
    /// decoded (against the frames before it, read back from the stream when this chain has not just decoded them).
    /// </summary>
    /// <exception cref="StoredFrameException">The frame, or one it depends on, does not decode.</exception>
    public async ValueTask<StreamRecord> ToSelfContainedAsync(StreamRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        EntropyFrameHeader? header = HeaderOf(record);
        if (header is { Kind: FrameKind.Inter } inter && _decoder.LastSequence != (long)inter.ReferenceSequence)
        {
            await ReadBackToKeyAsync(record.Sequence, (long)inter.ReferenceSequence, cancellationToken).ConfigureAwait(false);
        }
        ushort[] indices = await DecodeAsync(record, cancellationToken).ConfigureAwait(false);
        return header is null ? record : record with { Payload = VqfWriter.Write(_info!, indices) };
    }

    /// <summary>Decodes <paramref name="record"/> after the frame this chain decoded last.</summary>
    internal async ValueTask<ushort[]> DecodeAsync(StreamRecord record, CancellationToken cancellationToken)
    {
        ContextPrior? prior = await PriorOfAsync(record, cancellationToken).ConfigureAwait(false);
        try
        {
            ushort[] indices = _decoder.Decode(record.Sequence, record.Payload, prior, out FrameInfo info);
            _info = info;
            return indices;
        }
        catch (Exception e) when (e is FrameFormatException or PriorMismatchException)
        {
            _decoder.Reset();
            throw StoredFrameException.Of(_tenant, _stream, record.Sequence, e);
        }
    }

    /// <summary>The index in <paramref name="newestFirst"/> of the newest self-contained frame; -1 when none is.</summary>
    internal int FindKey(IReadOnlyList<StreamRecord> newestFirst)
    {
        for (int i = 0; i < newestFirst.Count; i++)
        {
            if (HeaderOf(newestFirst[i]) is not { Kind: FrameKind.Inter })
            {
                return i;
            }
        }
        return -1;
    }

    private async Task ReadBackToKeyAsync(long sequence, long reference, CancellationToken cancellationToken)
    {
        _decoder.Reset();
        var back = new List<StreamRecord>();
        long? cursor = reference;
        while (true)
        {
            IReadOnlyList<StreamRecord> page = await _frames.Store.ReadBackAsync(_tenant, _stream, cursor, StoredFrames.PageSize, cancellationToken).ConfigureAwait(false);
            if (back.Count == 0 && (page.Count == 0 || page[0].Sequence != reference))
            {
                throw StoredFrameException.Of(_tenant, _stream, sequence, new PriorMismatchException(
                    $"it is an inter frame coded against frame {reference}, which the stream does not hold"));
            }
            back.AddRange(page);
            int key = FindKey(page);
            if (key >= 0)
            {
                back.RemoveRange(back.Count - page.Count + key + 1, page.Count - key - 1);
                break;
            }
            if (page.Count < StoredFrames.PageSize || page[^1].Sequence == 0 || back.Count >= StreamCodingOptions.MaxKeyFrameEvery)
            {
                throw StoredFrameException.Of(_tenant, _stream, sequence, new PriorMismatchException(
                    $"no key frame precedes it within {back.Count} frames (back to frame {(page.Count > 0 ? page[^1].Sequence : reference)})"));
            }
            cursor = page[^1].Sequence - 1;
        }
        for (int i = back.Count - 1; i >= 0; i--)
        {
            await DecodeAsync(back[i], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Version 1 frames need no prior; a version 2 frame the prior of its model version (none for baseline coding).</summary>
    private ValueTask<ContextPrior?> PriorOfAsync(StreamRecord record, CancellationToken cancellationToken) =>
        HeaderOf(record) is { Coding: not FrameCoding.Baseline }
            ? _frames.PriorOfAsync(record.ModelVersion, cancellationToken)
            : ValueTask.FromResult<ContextPrior?>(null);

    /// <summary>The version 2 header of a stored frame; null for a version 1 frame.</summary>
    private EntropyFrameHeader? HeaderOf(StreamRecord record)
    {
        try
        {
            return EntropyFrames.ReadHeader(record.Payload).Entropy;
        }
        catch (FrameFormatException e)
        {
            throw StoredFrameException.Of(_tenant, _stream, record.Sequence, e);
        }
    }
}

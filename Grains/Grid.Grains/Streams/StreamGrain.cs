using Grid.Codec;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.Diagnostics;
using Grid.Entropy;
using Grid.Grains.Abstractions;
using Grid.Grains.Models;
using Grid.Storage.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Grid.Grains.Streams;

/// <summary>
/// The Orleans grain of one (tenant, stream): appends go through <see cref="StreamStore.AppendAsync"/> (the atomic,
/// idempotent script) one per turn, in arrival order. Each frame (VQF v1 from the codec or the client) is stored as
/// <see cref="StreamCodingOptions.Coding"/> says: by default entropy-coded (VQF v2) as an inter frame against the
/// stream's previous stored frame, whose indices the grain keeps in memory, or as a key frame
/// (<see cref="StreamFrameCoder"/>). After activation (a new silo, a failover) it first decodes the stream's last
/// stored frame from Redis, and the script stores an inter frame only while its reference is still the stream's last
/// frame, so a frame is never coded against one that was not stored. Placed on the silo that first calls it (the one
/// serving the stream's requests); collected after two idle minutes.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
[Orleans.Placement.PreferLocalPlacement]
public sealed partial class StreamGrain(
    StreamStore store, StoredFrames stored, ModelCache models, StreamCodingOptions options, GridMetrics metrics, ILogger<StreamGrain> logger)
    : Grain, IStreamGrain
{
    /// <summary>Codings of one frame before the grain gives up on a stream another appender keeps changing.</summary>
    private const int CodingAttempts = 3;

    private readonly StreamFrameCoder _coder = new(options.KeyFrameEvery);
    private StreamGrainKey _key;
    private bool _referenceLoaded;
    private FrameQuality? _quality; // of the stream's last stored frame; null until read

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = StreamGrainKey.Parse(this.GetPrimaryKeyString());
        metrics.StreamGrainsActive.Add(1);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.StreamGrainsActive.Add(-1);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<StreamAppendReply> AppendAsync(Immutable<StreamFrame> frame)
    {
        StreamFrame value = frame.Value;
        AppendOutcome outcome;
        try
        {
            outcome = options.Coding == FrameCoding.Fixed
                ? await store.AppendAsync(_key.Tenant, _key.Stream, new FrameToAppend(value.Sequence, value.ModelVersion, value.Width, value.Height, value.Frame))
                : await AppendCodedAsync(value);
            if (outcome.Status == AppendStatus.Stored)
            {
                _quality = VqfReader.ReadHeader(value.Frame).Quality;
            }
        }
        catch (FrameFormatException e)
        {
            // The silo validates frames before calling; a frame that still does not parse is refused here, as a
            // reply: exceptions of ours do not cross silos (Orleans has no codec for them).
            string error = ErrorCodes.FromFrameError(e.Error);
            metrics.FramesRejected.Add(1, GridMetrics.Tag("code", error));
            return new StreamAppendReply(StreamAppendReply.Rejected, value.Sequence ?? -1, value.ModelVersion, 0, error, e.Message);
        }
        switch (outcome.Status)
        {
            case AppendStatus.Stored:
                metrics.FramesStored.Add(1);
                return new StreamAppendReply(StreamAppendReply.Stored, outcome.Sequence, outcome.ModelVersion, outcome.Bytes);
            case AppendStatus.Duplicate:
                metrics.FramesDuplicate.Add(1);
                return new StreamAppendReply(StreamAppendReply.Duplicate, outcome.Sequence, outcome.ModelVersion, outcome.Bytes);
            default:
                string code = outcome.ErrorCode ?? "unknown";
                metrics.FramesRejected.Add(1, GridMetrics.Tag("code", code));
                return new StreamAppendReply(StreamAppendReply.Rejected, outcome.Sequence, outcome.ModelVersion, outcome.Bytes, code, outcome.Message ?? code);
        }
    }

    /// <inheritdoc />
    public async Task<FrameQuality> GetQualityAsync()
    {
        if (_quality is null)
        {
            IReadOnlyList<StreamRecord> last = await store.ReadBackAsync(_key.Tenant, _key.Stream, atOrBefore: null, count: 1);
            _quality = FrameQuality.Standard;
            try
            {
                _quality = last.Count == 0 ? FrameQuality.Standard : EntropyFrames.ReadHeader(last[0].Payload).Info.Quality;
            }
            catch (FrameFormatException e)
            {
                LogReferenceUnreadable(e, _key.Tenant, _key.Stream);
            }
        }
        return _quality.Value;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync()
    {
        bool deleted = await store.DeleteAsync(_key.Tenant, _key.Stream);
        _coder.Reference = null;
        _referenceLoaded = false;
        _quality = null;
        DeactivateOnIdle();
        return deleted;
    }

    /// <summary>Codes the frame against the stream's last stored frame and stores it; codes again when that changed meanwhile.</summary>
    private async Task<AppendOutcome> AppendCodedAsync(StreamFrame value)
    {
        ushort[] indices = VqfReader.ReadIndices(value.Frame, out FrameInfo info);
        ContextPrior? prior = options.Coding == FrameCoding.Learned ? await models.GetPriorAsync(info.ModelVersion) : null;
        AppendOutcome outcome = default;
        for (int attempt = 1; attempt <= CodingAttempts; attempt++)
        {
            if (!_referenceLoaded)
            {
                await LoadReferenceAsync();
            }
            // Range coding a large frame takes milliseconds: off the Orleans scheduler, which the await returns to.
            CodedStreamFrame coded = await Task.Run(() => _coder.Code(info, indices, value.Sequence, prior));
            outcome = await store.AppendAsync(_key.Tenant, _key.Stream,
                new FrameToAppend(value.Sequence, value.ModelVersion, value.Width, value.Height, coded.Frame, coded.ReferenceSequence));
            if (outcome.Status == AppendStatus.Stored)
            {
                _coder.Stored(coded, outcome.Sequence);
                return outcome;
            }
            if (outcome.Status != AppendStatus.ReferenceChanged)
            {
                return outcome; // a duplicate or a rejection: nothing was stored, the reference stays
            }
            LogReferenceChanged(_key.Tenant, _key.Stream, outcome.Sequence, coded.ReferenceSequence ?? -1);
            _referenceLoaded = false;
        }
        return outcome;
    }

    /// <summary>
    /// Reads the stream's last stored frame (the next frame's reference) from Redis. A last frame that does not decode
    /// is no reference: the next frame is then a key frame.
    /// </summary>
    private async Task LoadReferenceAsync()
    {
        try
        {
            _coder.Reference = await stored.LastAsync(_key.Tenant, _key.Stream, options.KeyFrameEvery);
        }
        catch (Exception e) when (e is CodecException or FrameFormatException)
        {
            LogReferenceUnreadable(e, _key.Tenant, _key.Stream);
            _coder.Reference = null;
        }
        _referenceLoaded = true;
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Stream {Tenant}/{Stream}: frame {Sequence} was coded against frame {Reference}, which is no longer the stream's last; coding it again")]
    private partial void LogReferenceChanged(string tenant, string stream, long sequence, long reference);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "Stream {Tenant}/{Stream}: the last stored frames do not decode; the next frame is a key frame")]
    private partial void LogReferenceUnreadable(Exception exception, string tenant, string stream);
}

using Grid.Diagnostics;
using Grid.Grains.Abstractions;
using Grid.Storage.Streams;
using Orleans.Concurrency;

namespace Grid.Grains.Streams;

/// <summary>
/// The Orleans grain of one (tenant, stream): appends go through <see cref="StreamStore.AppendAsync"/> (the atomic,
/// idempotent script) one per turn, in arrival order. It keeps no state of its own: Redis holds the stream, so a grain
/// reactivated on another silo after a failure continues where the dead one stopped. Placed on the silo that first
/// calls it (the one serving the stream's requests); collected after two idle minutes.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
[Orleans.Placement.PreferLocalPlacement]
public sealed class StreamGrain(StreamStore store, GridMetrics metrics) : Grain, IStreamGrain
{
    private StreamGrainKey _key;

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
        AppendOutcome outcome = await store.AppendAsync(_key.Tenant, _key.Stream,
            new FrameToAppend(value.Sequence, value.ModelVersion, value.Width, value.Height, value.Frame));
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
    public async Task<bool> DeleteAsync()
    {
        bool deleted = await store.DeleteAsync(_key.Tenant, _key.Stream);
        DeactivateOnIdle();
        return deleted;
    }
}

namespace Grid.Storage.Streams;

/// <summary>
/// One live subscriber's wake-up signal. Nudges that arrive while nobody waits are remembered (one is enough: the
/// subscriber re-reads everything after its last sequence number anyway), so a nudge between a read and the next wait
/// is never lost.
/// </summary>
internal sealed class NudgeListener : IAsyncDisposable
{
    private readonly AppendNudges _owner;
    private TaskCompletionSource _nudged = NewSignal();

    public NudgeListener(AppendNudges owner, AppendNudges.ChannelEntry entry)
    {
        _owner = owner;
        Entry = entry;
    }

    /// <summary>The channel subscription this listener belongs to.</summary>
    public AppendNudges.ChannelEntry Entry { get; }

    /// <summary>Wakes the listener's current or next wait. Called on the multiplexer's pub/sub thread: must not block.</summary>
    public void Nudge() => Volatile.Read(ref _nudged).TrySetResult();

    /// <summary>
    /// Returns when nudged (at once if a nudge came since the last wait) or after <paramref name="timeout"/>.
    /// The pending nudge is consumed before returning, so nudges arriving during the caller's next read are kept.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        TaskCompletionSource current = Volatile.Read(ref _nudged);
        try
        {
            await current.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The poll: re-read even without a nudge, in case one was lost (reconnect, publish failure).
        }
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _nudged, NewSignal(), current);
        }
    }

    /// <summary>Stops listening; the last listener of a channel unsubscribes it.</summary>
    public ValueTask DisposeAsync() => _owner.RemoveAsync(this);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

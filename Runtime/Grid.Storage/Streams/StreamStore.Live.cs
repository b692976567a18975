using System.Runtime.CompilerServices;
using Grid.Contracts.Api;

namespace Grid.Storage.Streams;

public sealed partial class StreamStore
{
    /// <summary>
    /// Every frame with sequence &gt;= <paramref name="fromSequence"/>: first those already stored, then new ones as
    /// they are appended, in order, with no gaps or repeats, until <paramref name="cancellationToken"/> is cancelled
    /// (the enumeration then throws <see cref="OperationCanceledException"/>). Wakes on the append script's pub/sub
    /// nudge and re-reads every <see cref="DefaultPollInterval"/> without one, so a lost nudge delays frames by at most
    /// that. The stream need not exist yet. Subscribers of one stream in a process share one Redis subscription.
    /// A Redis failure ends the enumeration with its exception; resubscribe from the sequence after the last one received.
    /// When the stream existed (when this call was made, or since; or the caller saw it and says so: knownToExist)
    /// and is deleted (<see cref="DeleteAsync"/>), the enumeration ends with <see cref="StreamDeletedException"/>: a
    /// stream created again under the name is another stream.
    /// </summary>
    /// <exception cref="ArgumentException">A bad name or a negative <paramref name="fromSequence"/> (thrown by this call).</exception>
    public IAsyncEnumerable<StreamRecord> SubscribeAsync(string tenant, string stream, long fromSequence, CancellationToken cancellationToken = default) =>
        SubscribeAsync(tenant, stream, fromSequence, knownToExist: false, cancellationToken);

    /// <summary>
    /// As the overload above; <c>knownToExist</c>: the caller saw the stream exist, so its deletion ends the
    /// subscription even when the delete came before this call.
    /// </summary>
    public IAsyncEnumerable<StreamRecord> SubscribeAsync(string tenant, string stream, long fromSequence, bool knownToExist, CancellationToken cancellationToken)
    {
        StreamKeys keys = KeysOf(tenant, stream);
        ThrowIfNegative(fromSequence, nameof(fromSequence));
        return SubscribeCoreAsync(keys, fromSequence, knownToExist, cancellationToken);
    }

    private async IAsyncEnumerable<StreamRecord> SubscribeCoreAsync(StreamKeys keys, long fromSequence, bool knownToExist, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Listen before the first read: an append between that read and the subscription would otherwise wait for the poll.
        NudgeListener listener = await _nudges.ListenAsync(keys.AppendedChannel, cancellationToken).ConfigureAwait(false);
        await using (listener.ConfigureAwait(false))
        {
            string start = StreamEntries.IdOf(fromSequence);
            bool existed = knownToExist || await Database.KeyExistsAsync(keys.Meta).WaitAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                List<StreamRecord> page = await ReadRangeAsync(keys, start, "+", PageSize, cancellationToken).ConfigureAwait(false);
                foreach (StreamRecord record in page)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return record;
                }
                if (page.Count > 0)
                {
                    start = "(" + StreamEntries.IdOf(page[^1].Sequence);
                }
                if (page.Count < PageSize)
                {
                    await listener.WaitAsync(PollInterval, _time, cancellationToken).ConfigureAwait(false);
                    // Woken (a frame, a delete's nudge or the poll): a stream that existed and is gone was deleted.
                    bool exists = await Database.KeyExistsAsync(keys.Meta).WaitAsync(cancellationToken).ConfigureAwait(false);
                    if (existed && !exists)
                    {
                        throw new StreamDeletedException($"stream '{keys.Stream}' of tenant '{keys.Tenant}' was deleted");
                    }
                    existed |= exists;
                }
            }
        }
    }
}

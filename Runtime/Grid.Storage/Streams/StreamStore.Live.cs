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
    /// </summary>
    /// <exception cref="ArgumentException">A bad name or a negative <paramref name="fromSequence"/> (thrown by this call).</exception>
    public IAsyncEnumerable<StreamRecord> SubscribeAsync(string tenant, string stream, long fromSequence, CancellationToken cancellationToken = default)
    {
        StreamKeys keys = KeysOf(tenant, stream);
        ThrowIfNegative(fromSequence, nameof(fromSequence));
        return SubscribeCoreAsync(keys, fromSequence, cancellationToken);
    }

    private async IAsyncEnumerable<StreamRecord> SubscribeCoreAsync(StreamKeys keys, long fromSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Listen before the first read: an append between that read and the subscription would otherwise wait for the poll.
        NudgeListener listener = await _nudges.ListenAsync(keys.AppendedChannel, cancellationToken).ConfigureAwait(false);
        await using (listener.ConfigureAwait(false))
        {
            string start = StreamEntries.IdOf(fromSequence);
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
                }
            }
        }
    }
}

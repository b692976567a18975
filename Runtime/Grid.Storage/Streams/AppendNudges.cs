using StackExchange.Redis;

namespace Grid.Storage.Streams;

/// <summary>
/// Shares one Redis subscription per stream channel among all live subscribers of that stream in this process: the
/// first subscriber of a stream subscribes its channel, the last one to leave unsubscribes it, and each message wakes
/// every local subscriber of the stream. Redis then sends a silo only the nudges of streams someone there watches, which
/// a pattern subscription (<c>grid:*:appended</c>) would not: every silo would receive every append of the cluster.
/// </summary>
internal sealed class AppendNudges
{
    private readonly ISubscriber _subscriber;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ChannelEntry> _channels = new(StringComparer.Ordinal);

    public AppendNudges(ISubscriber subscriber) => _subscriber = subscriber;

    /// <summary>Number of channels subscribed now (for tests).</summary>
    public int SubscribedChannels
    {
        get
        {
            lock (_gate)
            {
                return _channels.Count;
            }
        }
    }

    /// <summary>
    /// Registers a listener of <paramref name="channel"/> and returns once the channel's Redis subscription is active,
    /// so every append after this returns nudges the listener.
    /// </summary>
    public async Task<NudgeListener> ListenAsync(string channel, CancellationToken cancellationToken)
    {
        NudgeListener listener;
        ChannelEntry entry;
        lock (_gate)
        {
            if (!_channels.TryGetValue(channel, out entry!) || entry.Subscribed.IsFaulted)
            {
                entry = new ChannelEntry(channel);
                entry.Subscribed = _subscriber.SubscribeAsync(entry.Channel, entry.Handler);
                _channels[channel] = entry;
            }
            listener = new NudgeListener(this, entry);
            entry.Listeners = [.. entry.Listeners, listener];
        }
        try
        {
            await entry.Subscribed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await RemoveAsync(listener).ConfigureAwait(false);
            throw;
        }
        return listener;
    }

    /// <summary>Unregisters a listener; unsubscribes the channel when it was the last one.</summary>
    public async ValueTask RemoveAsync(NudgeListener listener)
    {
        ChannelEntry entry = listener.Entry;
        bool emptied = false;
        lock (_gate)
        {
            int index = Array.IndexOf(entry.Listeners, listener);
            if (index >= 0)
            {
                entry.Listeners = [.. entry.Listeners[..index], .. entry.Listeners[(index + 1)..]];
                emptied = entry.Listeners.Length == 0;
                if (emptied && _channels.TryGetValue(entry.Name, out ChannelEntry? current) && current == entry)
                {
                    _channels.Remove(entry.Name);
                }
            }
        }
        if (emptied)
        {
            try
            {
                // Removes only this entry's handler: a newer entry of the same channel keeps its own subscription.
                await _subscriber.UnsubscribeAsync(entry.Channel, entry.Handler).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // A lost connection drops the subscription anyway; nothing to undo.
            }
        }
    }

    /// <summary>One channel's Redis subscription and the local listeners it wakes.</summary>
    internal sealed class ChannelEntry
    {
        public ChannelEntry(string channel)
        {
            Name = channel;
            Channel = new RedisChannel(channel, RedisChannel.PatternMode.Literal);
            Handler = (_, _) =>
            {
                foreach (NudgeListener listener in Volatile.Read(ref Listeners))
                {
                    listener.Nudge();
                }
            };
        }

        public string Name { get; }

        public RedisChannel Channel { get; }

        public Action<RedisChannel, RedisValue> Handler { get; }

        public Task Subscribed { get; set; } = Task.CompletedTask;

        // Copy-on-write under AppendNudges._gate; the handler reads it without the lock.
        public NudgeListener[] Listeners = [];
    }
}

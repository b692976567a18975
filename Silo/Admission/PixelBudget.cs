namespace Grid.Silo.Admission;

/// <summary>
/// A weighted, first-come first-served semaphore over pixels: a request takes its image's pixel count and gives it
/// back when done. A request that does not fit waits behind earlier waiters (so a large one is not starved by a
/// stream of small ones), or is refused at once by <see cref="TryTake"/>.
/// </summary>
public sealed class PixelBudget(long capacity)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<(long Pixels, TaskCompletionSource Turn)> _waiters = new();
    private long _available = capacity;

    /// <summary>The budget's size.</summary>
    public long Capacity { get; } = capacity;

    /// <summary>Pixels taken now.</summary>
    public long InUse
    {
        get
        {
            lock (_gate)
            {
                return Capacity - _available;
            }
        }
    }

    /// <summary>Takes <paramref name="pixels"/> when they are free and nobody waits; false otherwise.</summary>
    public bool TryTake(long pixels)
    {
        lock (_gate)
        {
            if (_waiters.Count > 0 || _available < pixels)
            {
                return false;
            }
            _available -= pixels;
            return true;
        }
    }

    /// <summary>Takes <paramref name="pixels"/>, waiting (in arrival order) until they are free.</summary>
    public Task TakeAsync(long pixels, CancellationToken cancellationToken)
    {
        LinkedListNode<(long, TaskCompletionSource)> node;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _available >= pixels)
            {
                _available -= pixels;
                return Task.CompletedTask;
            }
            node = _waiters.AddLast((pixels, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
        }
        return WaitAsync(node, cancellationToken);
    }

    /// <summary>Gives <paramref name="pixels"/> back and lets waiters in, in order.</summary>
    public void Return(long pixels)
    {
        List<TaskCompletionSource> admitted = [];
        lock (_gate)
        {
            _available += pixels;
            Admit(admitted);
        }
        admitted.ForEach(turn => turn.TrySetResult());
    }

    private async Task WaitAsync(LinkedListNode<(long Pixels, TaskCompletionSource Turn)> node, CancellationToken cancellationToken)
    {
        await using CancellationTokenRegistration registration = cancellationToken.Register(() =>
        {
            List<TaskCompletionSource> admitted = [];
            lock (_gate)
            {
                if (node.List is null)
                {
                    return; // admitted already: the caller owns the pixels and returns them
                }
                _waiters.Remove(node);
                Admit(admitted); // the head may have been the one blocking others
            }
            node.Value.Turn.TrySetCanceled(cancellationToken);
            admitted.ForEach(turn => turn.TrySetResult());
        });
        await node.Value.Turn.Task.ConfigureAwait(false);
    }

    private void Admit(List<TaskCompletionSource> admitted)
    {
        while (_waiters.First is { } head && head.Value.Pixels <= _available)
        {
            _available -= head.Value.Pixels;
            _waiters.RemoveFirst();
            admitted.Add(head.Value.Turn);
        }
    }
}

using System.Diagnostics;
using Grid.Contracts;
using Grid.Grains.Abstractions;

namespace Grid.Grains.Serving;

/// <summary>
/// For callers that would rather wait than fail when the codec queue is full (a replay decoding its frames, an
/// ingest socket whose later frames must not overtake earlier ones): retries with a growing pause.
/// </summary>
public static class CodecBackpressure
{
    /// <summary>How long <see cref="RetryWhileFullAsync{T}"/> keeps trying before it lets the <see cref="QueueFullException"/> through.</summary>
    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan s_firstPause = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan s_longestPause = TimeSpan.FromMilliseconds(100);

    /// <summary>Runs <paramref name="call"/>, again after a pause each time it finds the queue full, for up to <paramref name="maxWait"/>.</summary>
    public static async Task<T> RetryWhileFullAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken, TimeSpan? maxWait = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        long started = Stopwatch.GetTimestamp();
        TimeSpan limit = maxWait ?? DefaultMaxWait;
        TimeSpan pause = s_firstPause;
        while (true)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception e) when (IsQueueFull(e) && Stopwatch.GetElapsedTime(started) < limit)
            {
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                pause = pause * 2 > s_longestPause ? s_longestPause : pause * 2;
            }
        }
    }

    private static bool IsQueueFull(Exception exception) =>
        exception is QueueFullException || (exception is GrainErrorException grain && grain.Error.Code == ErrorCodes.QueueFull);
}

using System.Diagnostics;

namespace Grid.Silo.Hosting;

/// <summary>
/// Retries a grain call that never reached a live activation: its silo crashed and Orleans has not declared it dead
/// yet (the message is rejected) or just has (the silo is unavailable). Once membership drops the dead silo, the
/// next call activates the grain on a live one. Only calls that are safe to repeat are retried (the caller decides).
/// </summary>
internal static class GrainCallRetry
{
    /// <summary>How long a call is retried: membership declares a silo dead within a few seconds (docs/silo.md).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan s_pause = TimeSpan.FromMilliseconds(200);

    /// <summary>Runs <paramref name="call"/>, again after a pause while it fails with <paramref name="retryable"/> errors, for up to <see cref="MaxWait"/>.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> call, Func<Exception, bool> retryable, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (retryable(e) && Stopwatch.GetElapsedTime(started) < MaxWait)
            {
                await Task.Delay(s_pause, cancellationToken);
            }
        }
    }

    /// <summary>The message was never delivered: always safe to send again.</summary>
    public static bool NotDelivered(Exception exception) => exception is OrleansMessageRejectionException;

    /// <summary>The target silo is gone: the call may or may not have run there.</summary>
    public static bool SiloGone(Exception exception) => exception is OrleansMessageRejectionException or SiloUnavailableException;
}

using System.Diagnostics;
using Polly;
using Polly.Retry;

namespace Grid.Silo.Hosting;

/// <summary>
/// Retries a grain call that never reached a live activation: its silo crashed and Orleans has not declared it dead
/// yet (the message is rejected) or just has (the silo is unavailable). Once membership drops the dead silo, the
/// next call activates the grain on a live one. Only calls that are safe to repeat are retried (the caller decides).
/// A Polly retry strategy: a constant pause, for as long as the failures last up to <see cref="MaxWait"/>.
/// </summary>
internal static class GrainCallRetry
{
    /// <summary>How long a call is retried: membership declares a silo dead within a few seconds (docs/silo.md).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(15);

    private static readonly ResiliencePropertyKey<Func<Exception, bool>> s_retryable = new("grid.grain-call.retryable");
    private static readonly ResiliencePropertyKey<long> s_started = new("grid.grain-call.started");

    private static readonly ResiliencePipeline s_pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            // Bounded by MaxWait in ShouldHandle, not by a count.
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Constant,
            Delay = TimeSpan.FromMilliseconds(200),
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is { } exception
                && args.Context.Properties.GetValue(s_retryable, static _ => false)(exception)
                && Stopwatch.GetElapsedTime(args.Context.Properties.GetValue(s_started, 0L)) < MaxWait),
        })
        .Build();

    /// <summary>Runs <paramref name="call"/>, again after a pause while it fails with <paramref name="retryable"/> errors, for up to <see cref="MaxWait"/>.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> call, Func<Exception, bool> retryable, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(s_retryable, retryable);
        context.Properties.Set(s_started, Stopwatch.GetTimestamp());
        try
        {
            return await s_pipeline.ExecuteAsync(static async (_, call) => await call(), context, call);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>The message was never delivered: always safe to send again.</summary>
    public static bool NotDelivered(Exception exception) => exception is OrleansMessageRejectionException;

    /// <summary>The target silo is gone: the call may or may not have run there.</summary>
    public static bool SiloGone(Exception exception) => exception is OrleansMessageRejectionException or SiloUnavailableException;
}

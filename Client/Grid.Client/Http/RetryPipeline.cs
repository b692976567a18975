using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Grid.Client.Http;

/// <summary>
/// The client's retry policy as a Polly pipeline: a per-attempt timeout inside a retry strategy with exponential
/// backoff and jitter, where a server's <c>Retry-After</c> (capped at <see cref="GridClientOptions.MaxRetryDelay"/>)
/// replaces the backoff. What may be retried is ours (<see cref="RetrySafety"/>, <see cref="ShouldRetry"/>): each
/// attempt reports a failure as an exception (<see cref="GridApiException"/> for an error response,
/// <see cref="HttpRequestException"/> or <see cref="GridConnectionException"/> for no answer,
/// <see cref="TimeoutRejectedException"/> when the attempt ran past <see cref="GridClientOptions.Timeout"/>).
/// </summary>
internal sealed class RetryPipeline
{
    private static readonly ResiliencePropertyKey<RetrySafety> s_safety = new("grid.retry-safety");

    private readonly ResiliencePipeline _pipeline;

    internal RetryPipeline(GridClientOptions options)
    {
        var builder = new ResiliencePipelineBuilder();
        if (options.MaxRetries > 0)
        {
            TimeSpan maxDelay = options.MaxRetryDelay;
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = maxDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } exception && ShouldRetry(exception, args.Context.Properties.GetValue(s_safety, RetrySafety.Idempotent))),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is GridApiException { RetryAfter: { } wait } ? (TimeSpan?)(wait > maxDelay ? maxDelay : wait) : null),
            });
        }
        if (options.Timeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(options.Timeout);
        }
        _pipeline = builder.Build();
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds, fails in a way <paramref name="safety"/> does not allow to
    /// repeat, or the retries run out; the last failure is thrown as the attempt threw it (a timed-out attempt as
    /// <see cref="TimeoutRejectedException"/>). The attempt gets a token that the caller's token and the per-attempt
    /// timeout both cancel.
    /// </summary>
    internal async Task<T> ExecuteAsync<T, TState>(
        Func<TState, CancellationToken, Task<T>> attempt, TState state, RetrySafety safety, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(s_safety, safety);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (context, s) => await s.attempt(s.state, context.CancellationToken).ConfigureAwait(false),
                context, (attempt, state)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Whether a failed attempt may be repeated under <paramref name="safety"/>.</summary>
    internal static bool ShouldRetry(Exception exception, RetrySafety safety) => exception switch
    {
        GridApiException api => IsRetryable(api.StatusCode, safety),
        HttpRequestException http => safety != RetrySafety.OnlyIfNotProcessed || NeverReachedServer(http),
        // Connecting a WebSocket changes nothing on the server.
        GridConnectionException => true,
        // The request may have been processed by the time the answer was given up on.
        TimeoutRejectedException or TimeoutException => safety != RetrySafety.OnlyIfNotProcessed,
        _ => false,
    };

    /// <summary>429 and 503 are the silo refusing before it acts; 502 and 504 come from a proxy that may have forwarded the request.</summary>
    internal static bool IsRetryable(HttpStatusCode status, RetrySafety safety) => status switch
    {
        HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => true,
        HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout => safety == RetrySafety.Idempotent,
        _ => false,
    };

    /// <summary>Failures before a single request byte could have reached the server: name lookup, connect, TLS, proxy tunnel.</summary>
    internal static bool NeverReachedServer(HttpRequestException exception) => exception.HttpRequestError is
        HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError
        or HttpRequestError.ProxyTunnelError;
}

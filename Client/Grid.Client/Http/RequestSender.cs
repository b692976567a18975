using System.Net;

namespace Grid.Client.Http;

/// <summary>
/// Sends one API request with the client's retry policy: a fresh request per attempt, a per-attempt timeout up to the
/// response headers, exponential backoff with jitter, and <c>Retry-After</c> honoured (capped). Returns only successful
/// responses; the last failure is thrown as <see cref="GridApiException"/>, <see cref="GridConnectionException"/> or
/// <see cref="TimeoutException"/>.
/// </summary>
internal sealed class RequestSender(HttpClient http, GridClientOptions options, Uri server)
{
    internal async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> createRequest, RetrySafety safety, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            bool canRetry = attempt < options.MaxRetries;
            TimeSpan? retryAfter = null;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(options.Timeout);
                HttpRequestMessage request = createRequest();
                HttpResponseMessage? response = null;
                try
                {
                    response = await http.SendAsync(request, completion, timeout.Token).ConfigureAwait(false);
                }
                catch (HttpRequestException exception) when (!cancellationToken.IsCancellationRequested)
                {
                    if (!canRetry || (safety == RetrySafety.OnlyIfNotProcessed && !NeverReachedServer(exception)))
                    {
                        throw new GridConnectionException(server,
                            $"no answer from {Describe(request)}: {exception.Message}", exception);
                    }
                }
                catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // Our per-attempt timeout (or the HttpClient's own Timeout) fired, not the caller's token.
                    if (!canRetry || safety == RetrySafety.OnlyIfNotProcessed)
                    {
                        throw new TimeoutException(
                            $"no response from {Describe(request)} within {options.Timeout.TotalSeconds:0.###} s" +
                            (safety == RetrySafety.OnlyIfNotProcessed ? " (not retried: an append without a sequence number could be stored twice)" : ""),
                            exception);
                    }
                }
                finally
                {
                    request.Dispose();
                }

                if (response is not null)
                {
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }
                    GridApiException error;
                    using (response)
                    {
                        error = await ErrorResponses.ReadAsync(response, cancellationToken).ConfigureAwait(false);
                    }
                    if (!canRetry || !IsRetryable(response.StatusCode, safety))
                    {
                        throw error;
                    }
                    retryAfter = error.RetryAfter;
                }
            }
            await Task.Delay(RetryDelays.Next(attempt, retryAfter, options.RetryBaseDelay, options.MaxRetryDelay), cancellationToken).ConfigureAwait(false);
        }
    }

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

    private static string Describe(HttpRequestMessage request) => $"{request.Method} {request.RequestUri}";
}

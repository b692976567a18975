using Polly.Timeout;

namespace Grid.Client.Http;

/// <summary>
/// Sends one API request through the client's <see cref="RetryPipeline"/>: a fresh request per attempt, a per-attempt
/// timeout up to the response headers, backoff or <c>Retry-After</c> between attempts. Returns only successful
/// responses; the last failure is thrown as <see cref="GridApiException"/>, <see cref="GridConnectionException"/> or
/// <see cref="TimeoutException"/>.
/// </summary>
internal sealed class RequestSender(HttpClient http, RetryPipeline retry, GridClientOptions options, Uri server)
{
    internal async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> createRequest, RetrySafety safety, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        string? described = null;
        try
        {
            return await retry.ExecuteAsync(
                async (_, token) =>
                {
                    using HttpRequestMessage request = createRequest();
                    described = Describe(request);
                    HttpResponseMessage response;
                    try
                    {
                        response = await http.SendAsync(request, completion, token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException exception) when (!token.IsCancellationRequested)
                    {
                        // The HttpClient's own Timeout fired, not ours and not the caller's.
                        throw new TimeoutException($"no response from {described} within the HttpClient's timeout ({http.Timeout.TotalSeconds:0.###} s)", exception);
                    }
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }
                    using (response)
                    {
                        throw await ErrorResponses.ReadAsync(response, token).ConfigureAwait(false);
                    }
                },
                0, safety, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GridConnectionException(server, $"no answer from {described}: {exception.Message}", exception);
        }
        catch (TimeoutRejectedException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"no response from {described} within {options.Timeout.TotalSeconds:0.###} s" +
                (safety == RetrySafety.OnlyIfNotProcessed ? " (not retried: an append without a sequence number could be stored twice)" : ""),
                exception);
        }
    }

    private static string Describe(HttpRequestMessage request) => $"{request.Method} {request.RequestUri}";
}

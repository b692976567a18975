using System.Net;
using System.Text;
using System.Text.Json;
using Grid.Contracts;

namespace Grid.Client.Http;

/// <summary>Turns an error response into a <see cref="GridApiException"/>, reading the API's JSON error body when there is one.</summary>
internal static class ErrorResponses
{
    /// <summary>Error bodies are small JSON objects; anything longer is cut (a proxy's HTML page, say).</summary>
    private const int MaxBodyBytes = 64 * 1024;
    private const int MaxQuotedChars = 300;

    internal static async Task<GridApiException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        TimeSpan? retryAfter = RetryAfterHeader.Read(response.Headers.RetryAfter, DateTimeOffset.UtcNow);
        byte[] body = await ReadLimitedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        if (TryParse(body) is { } error)
        {
            return new GridApiException(response.StatusCode, error.Code, error.Message, retryAfter);
        }
        return new GridApiException(response.StatusCode, null, Describe(response.StatusCode, response.ReasonPhrase, body), retryAfter);
    }

    /// <summary>The API's <c>{"code","message"}</c> body, or null when the body is something else.</summary>
    internal static ErrorResponse? TryParse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }
        try
        {
            ErrorResponse? error = JsonSerializer.Deserialize<ErrorResponse>(body);
            return error is { Code.Length: > 0 } ? error with { Message = error.Message ?? error.Code } : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(HttpStatusCode status, string? reason, byte[] body)
    {
        string text = Encoding.UTF8.GetString(body).Trim();
        string prefix = $"HTTP {(int)status} {reason ?? status.ToString()}";
        if (text.Length == 0)
        {
            return prefix + " (empty body)";
        }
        return text.Length > MaxQuotedChars ? $"{prefix}: {text[..MaxQuotedChars]}..." : $"{prefix}: {text}";
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            using Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            byte[] buffer = new byte[MaxBodyBytes];
            int read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return buffer[..read];
        }
        catch (IOException)
        {
            // The status already says what failed; a body cut short only loses detail.
            return [];
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }
}

using System.Net;

namespace Grid.Client;

/// <summary>
/// The server answered with an error status (4xx/5xx). <see cref="Code"/> is the API's stable error code
/// (one of <see cref="Grid.Contracts.ErrorCodes"/>) when the body carried one; <see cref="Exception.Message"/> is the
/// server's message for people.
/// </summary>
public sealed class GridApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="code">The API error code, or null when the body had none (e.g. a proxy's HTML error page).</param>
    /// <param name="message">What went wrong, for people.</param>
    /// <param name="retryAfter">The server's <c>Retry-After</c>, when it sent one.</param>
    public GridApiException(HttpStatusCode statusCode, string? code, string message, TimeSpan? retryAfter = null)
        : base(message)
    {
        StatusCode = statusCode;
        Code = code;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status of the response.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The API error code (e.g. <c>queue_full</c>), or null when the response carried none.</summary>
    public string? Code { get; }

    /// <summary>How long the server asked the client to wait before retrying, when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Status and code in one line, e.g. <c>409 sequence_out_of_order</c>.</summary>
    public string Describe() => Code is null ? $"{(int)StatusCode} {StatusCode}" : $"{(int)StatusCode} {Code}";
}

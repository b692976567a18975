using System.Net;
using Grid.Contracts;
using Grid.Contracts.Api;
using Microsoft.AspNetCore.Http;

namespace Grid.TestServer;

/// <summary>Responses shaped as docs/api.md shapes them.</summary>
public static class ApiResults
{
    /// <summary>An API error: status and <c>{"code","message"}</c>, optionally with <c>Retry-After</c> (seconds).</summary>
    public static IResult Error(HttpStatusCode status, string code, string message, int? retryAfterSeconds = null) =>
        new ErrorResult((int)status, new ErrorResponse(code, message), retryAfterSeconds);

    /// <summary>A JSON body with the API's snake_case settings.</summary>
    public static IResult Json<T>(T value, int status = StatusCodes.Status200OK) =>
        Results.Json(value, GridJson.Options, statusCode: status);

    private sealed class ErrorResult(int status, ErrorResponse body, int? retryAfterSeconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (retryAfterSeconds is { } seconds)
            {
                httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            return Results.Json(body, statusCode: status).ExecuteAsync(httpContext);
        }
    }
}

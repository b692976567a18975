using Grid.Contracts;
using Grid.Contracts.Api;

namespace Grid.Silo.Http;

/// <summary>
/// Turns exceptions escaping an endpoint into the API's JSON errors (<see cref="ErrorResponse"/>). A failure after
/// the response started (a replay that breaks mid-stream) cannot change the status any more: the connection is
/// aborted so the client sees a truncated body rather than a silently short one.
/// </summary>
public sealed partial class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger)
{
    /// <summary>Runs the rest of the pipeline and maps its failures.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception exception)
        {
            ApiError error = ApiErrors.From(exception);
            if (error.IsServerError)
            {
                LogServerError(exception, context.Request.Method, context.Request.Path, error.Code);
            }
            else
            {
                LogClientError(context.Request.Method, context.Request.Path, error.Status, error.Code, error.Message);
            }
            if (context.Response.HasStarted)
            {
                LogAbortedMidResponse(context.Request.Path);
                context.Abort();
                return;
            }
            await WriteAsync(context, error);
        }
    }

    /// <summary>Writes <paramref name="error"/> as the response; <paramref name="headers"/> may add headers of its own.</summary>
    public static async Task WriteAsync(HttpContext context, ApiError error, Action<HttpResponse>? headers = null)
    {
        context.Response.Clear();
        headers?.Invoke(context.Response);
        context.Response.StatusCode = error.Status;
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await context.Response.WriteAsJsonAsync(new ErrorResponse(error.Code, error.Message), GridJson.Options, context.RequestAborted);
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Error, Message = "{Method} {Path} failed ({Code})")]
    private partial void LogServerError(Exception exception, string method, PathString path, string code);

    [LoggerMessage(EventId = 31, Level = LogLevel.Debug, Message = "{Method} {Path} refused: {Status} {Code}: {Message}")]
    private partial void LogClientError(string method, PathString path, int status, string code, string message);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "{Path} failed after its response started; connection aborted")]
    private partial void LogAbortedMidResponse(PathString path);
}

using System.Diagnostics;
using System.Globalization;
using Grid.Diagnostics;

namespace Grid.Silo.Http;

/// <summary>Counts requests by route template, method and status, and times them by route.</summary>
public sealed class RequestMetricsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly GridMetrics _metrics;

    /// <summary>Creates the middleware and its metrics.</summary>
    public RequestMetricsMiddleware(RequestDelegate next, GridMetrics metrics)
    {
        _next = next;
        _metrics = metrics;
    }

    /// <summary>Runs the rest of the pipeline and records the outcome.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            await _next(context);
        }
        finally
        {
            string route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            int status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode;
            var routeTag = GridMetrics.Tag("route", route);
            _metrics.HttpRequests.Add(1, routeTag, GridMetrics.Tag("method", context.Request.Method), GridMetrics.Tag("status", status.ToString(CultureInfo.InvariantCulture)));
            _metrics.HttpRequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, routeTag);
        }
    }
}

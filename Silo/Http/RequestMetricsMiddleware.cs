using System.Diagnostics;
using System.Globalization;
using Grid.Diagnostics;

namespace Grid.Silo.Http;

/// <summary>Counts requests by route template, method and status, and times them by route.</summary>
public sealed class RequestMetricsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly Counter _requests;
    private readonly Histogram _duration;

    /// <summary>Creates the middleware and its metrics.</summary>
    public RequestMetricsMiddleware(RequestDelegate next, MetricRegistry metrics)
    {
        _next = next;
        _requests = metrics.Counter("grid_http_requests_total", "HTTP requests answered, by route template, method and status.", "route", "method", "status");
        _duration = metrics.Histogram("grid_http_request_duration_seconds", "HTTP request durations by route template (WebSockets: the session).", Histogram.LatencyBuckets, "route");
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
            _requests.WithLabels(route, context.Request.Method, status.ToString(CultureInfo.InvariantCulture)).Inc();
            _duration.WithLabels(route).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}

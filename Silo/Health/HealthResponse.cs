using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grid.Silo.Health;

/// <summary>
/// Writes a health report as JSON: <c>{"status":"unhealthy","checks":{"redis":{"status":"unhealthy","description":"..."}}}</c>,
/// so a 503 says why.
/// </summary>
internal static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new Dictionary<string, object>
        {
            ["status"] = Name(report.Status),
            ["checks"] = report.Entries.ToDictionary(
                e => e.Key,
                e => new Dictionary<string, string?> { ["status"] = Name(e.Value.Status), ["description"] = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}

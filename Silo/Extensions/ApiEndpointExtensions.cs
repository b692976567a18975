using Grid.Silo.Options;
using Orleans.Dashboard;
using Grid.Silo.Endpoints;
using Grid.Silo.Health;
using Grid.Silo.Http;
using Grid.Silo.Security;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Grid.Silo.Extensions;

/// <summary>The silo's HTTP pipeline and endpoints (docs/api.md).</summary>
public static class ApiEndpointExtensions
{
    /// <summary>Adds the viewer page, request metrics, error mapping, WebSockets, authentication and rate limits, the API, health probes and /metrics.</summary>
    public static WebApplication MapGridApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseGridViewer();
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseRouting();
        app.UseMiddleware<ApiErrorMiddleware>();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseGridSecurity();
        GridAuthOptions auth = app.Services.GetRequiredService<IOptions<GridAuthOptions>>().Value;

        app.MapCodecEndpoints();
        app.MapStreamEndpoints();
        app.MapLiveEndpoint();
        app.MapIngestEndpoint();
        app.MapModelEndpoints();
        app.MapTrainerEndpoints();
        app.MapStatusEndpoint();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponse.WriteAsync }).OpenWhen(auth.OpenHealth);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(SiloBuilderExtensions.ReadyTag), ResponseWriter = HealthResponse.WriteAsync }).OpenWhen(auth.OpenHealth);
        app.MapHealthChecks("/health/startup", new HealthCheckOptions { Predicate = c => c.Tags.Contains(SiloBuilderExtensions.StartupTag), ResponseWriter = HealthResponse.WriteAsync }).OpenWhen(auth.OpenHealth);
        app.MapMetrics("/metrics").OpenWhen(auth.OpenMetrics);
        if (app.Services.GetRequiredService<IOptions<SiloOptions>>().Value.Cluster?.Dashboard == true)
        {
            // Orleans' own dashboard (grains, calls, reminders, silos): admin keys only, like the rest of the cluster's internals.
            app.MapOrleansDashboard("/dashboard").RequireAuthorization(ApiKeyClaims.AdminPolicy);
        }
        return app;
    }
}

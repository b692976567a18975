using Grid.Storage.Streams;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Grid.Silo.Extensions;

/// <summary>
/// Optional distributed tracing with OpenTelemetry: spans for each HTTP request (ASP.NET Core), the grain calls it
/// makes (Orleans' activity propagation) and their Redis commands (StackExchange.Redis), one trace per request. Off
/// unless an exporter is configured: OTLP when <c>Grid:Tracing:OtlpEndpoint</c> or the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, the console (the silo's stdout) when <c>Grid:Tracing:Console=true</c>.
/// </summary>
public static class TracingExtensions
{
    /// <summary>Orleans' activity source of grain calls (its runtime source, system targets and timers, is left out: noise).</summary>
    private const string OrleansGrainCalls = "Microsoft.Orleans.Application";

    /// <summary>Adds tracing when an exporter is configured; returns whether it did.</summary>
    public static bool AddGridTracing(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string? otlp = builder.Configuration["Grid:Tracing:OtlpEndpoint"] ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        bool console = builder.Configuration.GetValue("Grid:Tracing:Console", false);
        if (string.IsNullOrWhiteSpace(otlp) && !console)
        {
            return false;
        }
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("grid-silo"))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                    .AddSource(OrleansGrainCalls)
                    .AddRedisInstrumentation()
                    .ConfigureRedisInstrumentation((services, redis) => redis.AddConnection(services.GetRequiredService<RedisConnection>().Multiplexer));
                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    tracing.AddOtlpExporter(options => options.Endpoint = new Uri(otlp));
                }
                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            });
        return true;
    }
}

using Grid.Silo.Extensions;
using Grid.Silo.Options;
using Grid.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Grid.Deploy.Tests.Silo;

/// <summary>
/// What the real silo makes of a container's environment: the silo's own wiring (<c>AddGridSilo</c>,
/// <c>MapGridApi</c>) is built, not started, with Silo/appsettings.json overridden by the environment exactly as the
/// host would (<c>Grid__MaxQueue</c> is <c>Grid:MaxQueue</c>, <c>ASPNETCORE_URLS</c> is <c>urls</c> and
/// <c>DOTNET_SHUTDOWNTIMEOUTSECONDS</c> is <c>shutdownTimeoutSeconds</c>, every variable is also there under its own
/// name, as <c>POD_NAME</c>). Nothing connects to Redis, Kubernetes or loads a model.
/// </summary>
public sealed class SiloConfiguration
{
    private SiloConfiguration(SiloOptions? options, string? validationError, string? urls, IReadOnlySet<string> routes, TimeSpan shutdownTimeout)
    {
        ShutdownTimeout = shutdownTimeout;
        Options = options;
        ValidationError = validationError;
        Urls = urls;
        Routes = routes;
    }

    /// <summary>The bound options; null when the silo's validator refused them (then <see cref="ValidationError"/> says why).</summary>
    public SiloOptions? Options { get; }

    /// <summary>Why the silo would refuse to start with this environment; null when it would start.</summary>
    public string? ValidationError { get; }

    /// <summary>The addresses Kestrel would listen on (<c>urls</c>), or null for the silo's default.</summary>
    public string? Urls { get; }

    /// <summary>How long the silo's host waits for its drain and in-flight requests after SIGTERM.</summary>
    public TimeSpan ShutdownTimeout { get; }

    /// <summary>The port the silo would listen on.</summary>
    public int? Port => SiloDefaults.FirstPort(Urls ?? SiloDefaults.Urls);

    /// <summary>Every route the silo maps, as a path template starting with <c>/</c> (e.g. <c>/health/ready</c>).</summary>
    public IReadOnlySet<string> Routes { get; }

    /// <summary>
    /// The names of the silo's settings (<see cref="SiloOptions"/> properties, and those of its sections joined by
    /// <c>__</c>), as in <c>Grid__Name</c> and <c>Grid__Cluster__Kubernetes</c>.
    /// </summary>
    public static IReadOnlySet<string> SettingNames { get; } = Settings(typeof(SiloOptions), "").ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The host's prefixes: a variable with one is also read without it.</summary>
    private static readonly string[] s_hostPrefixes = ["ASPNETCORE_", "DOTNET_"];

    /// <summary>Builds the silo with <paramref name="environment"/> as its environment variables.</summary>
    public static async Task<SiloConfiguration> BuildAsync(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = TestPaths.InRepo("Silo"),
            EnvironmentName = "Production",
        });
        // The test process's own variables are already in the configuration; these come later and win, as the pod's would.
        builder.Configuration.AddInMemoryCollection(environment.SelectMany(e => ConfigurationKeys(e.Key).Select(k => new KeyValuePair<string, string?>(k, e.Value))));
        builder.AddGridSilo([]);
        WebApplication app;
        try
        {
            app = builder.Build();
        }
        catch (OptionsValidationException e)
        {
            // Building resolves Kestrel's options, which read the silo's: invalid settings surface here already.
            return new SiloConfiguration(null, string.Join("; ", e.Failures), builder.Configuration["urls"], new HashSet<string>(), TimeSpan.Zero);
        }
        await using (app)
        {
            app.MapGridApi();
            SiloOptions options = app.Services.GetRequiredService<IOptions<SiloOptions>>().Value;
            HashSet<string> routes = ((IEndpointRouteBuilder)app).DataSources
                .SelectMany(source => source.Endpoints)
                .OfType<RouteEndpoint>()
                .Select(endpoint => "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/'))
                .ToHashSet(StringComparer.Ordinal);
            TimeSpan shutdownTimeout = app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;
            return new SiloConfiguration(options, null, app.Configuration["urls"], routes, shutdownTimeout);
        }
    }

    /// <summary>
    /// The configuration keys of an environment variable, as ASP.NET Core's environment sources map it: its own name,
    /// and without the prefix for <c>ASPNETCORE_</c> and <c>DOTNET_</c> variables; <c>__</c> is <c>:</c>.
    /// </summary>
    public static IReadOnlyList<string> ConfigurationKeys(string variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        string key = variable.Replace("__", ":", StringComparison.Ordinal);
        string? prefix = s_hostPrefixes.FirstOrDefault(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase));
        return prefix is null ? [key] : [key, key[prefix.Length..]];
    }

    private static IEnumerable<string> Settings(Type type, string prefix) =>
        type.GetProperties().Where(p => p.CanWrite).SelectMany(p => IsSection(p.PropertyType)
            ? Settings(p.PropertyType, prefix + p.Name + "__")
            : [prefix + p.Name]);

    // A nested options class of Grid's (Grid:Cluster, Grid:Trainer), not a value.
    private static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("Grid.", StringComparison.Ordinal) == true;
}

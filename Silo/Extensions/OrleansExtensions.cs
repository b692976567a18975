using System.Globalization;
using System.Net;
using Grid.Grains.Abstractions;
using Grid.Grains.Models;
using Grid.Grains.Placement;
using Grid.Silo.Hosting;
using Grid.Silo.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using StackExchange.Redis;

namespace Grid.Silo.Extensions;

/// <summary>The Orleans silo inside the ASP.NET Core host: Redis membership, ports, timings, device metadata.</summary>
public static class OrleansExtensions
{
    /// <summary>The host setting of the shutdown timeout (environment: <c>DOTNET_SHUTDOWNTIMEOUTSECONDS</c>).</summary>
    public const string ShutdownTimeoutKey = "shutdownTimeoutSeconds";

    /// <summary>
    /// Adds the Orleans silo (<c>UseOrleans</c>) configured from section <c>Grid</c>: Redis clustering on the same Redis
    /// as the frames, silo and gateway ports, membership timings (<see cref="ClusterSettings"/>), the silo's device and
    /// name as silo metadata for device placement, and Orleans' Kubernetes hosting when
    /// <see cref="ClusterSettings.Kubernetes"/> is on.
    /// </summary>
    public static WebApplicationBuilder AddGridOrleans(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Read here (not through IOptions) because Orleans is configured while the host is built; the same values are
        // validated at start by SiloOptionsValidator.
        Options.SiloOptions settings = builder.Configuration.GetSection(Options.SiloOptions.SectionName).Get<Options.SiloOptions>() ?? new Options.SiloOptions();
        ClusterSettings cluster = settings.Cluster ?? new ClusterSettings();
        var identity = new SiloIdentity(Microsoft.Extensions.Options.Options.Create(settings), builder.Configuration);
        builder.UseOrleans(silo =>
        {
            silo.UseRedisClustering(options => options.ConfigurationOptions = RedisOptions(settings.Redis));
            // The trainer grain's reminder lives in Redis too; ticks as short as a second are allowed (tests, small clusters).
            silo.UseRedisReminderService(options => options.ConfigurationOptions = RedisOptions(settings.Redis));
            silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = cluster.ClusterId;
                options.ServiceId = cluster.ServiceId;
            });
            silo.Configure<Orleans.Configuration.SiloOptions>(options => options.SiloName = identity.Name);
            silo.ConfigureEndpoints(AdvertisedAddress(cluster), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
            silo.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromSeconds(cluster.ProbeTimeoutSeconds);
                options.NumMissedProbesLimit = cluster.MissedProbesLimit;
                options.TableRefreshTimeout = TimeSpan.FromSeconds(cluster.TableRefreshSeconds);
                options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(cluster.IAmAlivePublishSeconds);
                options.NumVotesForDeathDeclaration = cluster.VotesForDeath;
            });
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, RedisStartGate>();
            silo.AddActivityPropagation(); // grain calls join the HTTP request's trace (TracingExtensions)
            silo.AddDevicePlacement(settings.Device, identity.Name, new Dictionary<string, string> { [SiloMetadataKeys.Url] = identity.Url });
            silo.AddModelRegistrySubscription(); // the silo's ModelCache hears of new current versions
            if (cluster.Dashboard)
            {
                silo.AddDashboard(); // served by MapGridApi at /dashboard, admin keys only
            }
            if (cluster.Kubernetes)
            {
                // After the Configure calls above, so that its settings win: the silo is named after its pod
                // (POD_NAME), the ids come from ORLEANS_SERVICE_ID / ORLEANS_CLUSTER_ID, and two silos watch the pods
                // (POD_NAMESPACE) to declare a silo dead once its pod is gone. Membership stays in Redis.
                silo.UseKubernetesHosting();
            }
        });
        // Orleans leaves the cluster (grains deactivated, directory handed over) within the host's shutdown timeout.
        // An explicit shutdownTimeoutSeconds (DOTNET_SHUTDOWNTIMEOUTSECONDS, set by the Kubernetes manifests below
        // terminationGracePeriodSeconds) takes precedence over the silo's own default.
        if (int.TryParse(builder.Configuration[ShutdownTimeoutKey], NumberStyles.None, CultureInfo.InvariantCulture, out int shutdownSeconds))
        {
            builder.Services.PostConfigure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(shutdownSeconds));
        }
        return builder;
    }

    private static ConfigurationOptions RedisOptions(string configuration)
    {
        try
        {
            ConfigurationOptions options = ConfigurationOptions.Parse(configuration);
            options.AbortOnConnectFail = false;
            return options;
        }
        catch (ArgumentException)
        {
            // SiloOptionsValidator reports the bad string at start; Orleans must not fail first with a less clear message.
            return ConfigurationOptions.Parse("localhost:6379");
        }
    }

    private static IPAddress AdvertisedAddress(ClusterSettings cluster)
    {
        string? configured = cluster.AdvertisedAddress ?? Environment.GetEnvironmentVariable("POD_IP");
        return configured is not null && IPAddress.TryParse(configured, out IPAddress? address) ? address : IPAddress.Loopback;
    }
}

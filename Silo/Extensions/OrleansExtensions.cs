using System.Net;
using Grid.Grains.Abstractions;
using Grid.Grains.Placement;
using Grid.Silo.Hosting;
using Grid.Silo.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Grid.Silo.Extensions;

/// <summary>The Orleans silo inside the ASP.NET Core host: Redis membership, ports, timings, device metadata.</summary>
public static class OrleansExtensions
{
    /// <summary>
    /// Adds the Orleans silo (<c>UseOrleans</c>) configured from section <c>Grid</c>: Redis clustering on the same Redis
    /// as the frames, silo and gateway ports, membership timings (<see cref="ClusterSettings"/>), and the silo's
    /// device and name as silo metadata for device placement.
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
            silo.AddDevicePlacement(settings.Device, identity.Name, new Dictionary<string, string> { [SiloMetadataKeys.Url] = identity.Url });
        });
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

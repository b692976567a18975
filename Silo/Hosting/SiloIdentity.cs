using Grid.Silo.Options;
using Microsoft.Extensions.Options;

namespace Grid.Silo.Hosting;

/// <summary>This silo's name (its Orleans SiloName) and the URL of its API, as the cluster status shows them.</summary>
public sealed class SiloIdentity(IOptions<SiloOptions> options, IConfiguration configuration)
{
    /// <summary>Grid:Name, else $POD_NAME, else host name and port.</summary>
    public string Name { get; } = options.Value.Name ?? SiloDefaults.Name(configuration["urls"] ?? SiloDefaults.Urls);

    /// <summary>Grid:Url, else the first of <c>--urls</c> with a wildcard host replaced by $POD_IP or the host name.</summary>
    public string Url { get; } = options.Value.Url ?? SiloDefaults.Url(configuration["urls"] ?? SiloDefaults.Urls);
}

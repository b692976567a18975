using System.Net;
using Grid.Silo.Options;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Grid.Silo.Hosting;

/// <summary>This silo's name and URL as its heartbeat publishes them, resolved once Kestrel is listening.</summary>
public sealed class SiloIdentity(IOptions<SiloOptions> options, IServer server, IConfiguration configuration)
{
    private string? _url;

    /// <summary>The configured name, $POD_NAME, or host:port.</summary>
    public string Name { get; } = options.Value.Name ?? SiloDefaults.Name(configuration["urls"] ?? SiloDefaults.Urls);

    /// <summary>The configured URL, or the first bound address with a wildcard host replaced by $POD_IP or the host name.</summary>
    public string Url => _url ??= options.Value.Url ?? ResolveUrl();

    private string ResolveUrl()
    {
        string? address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (address is null)
        {
            return SiloDefaults.Urls;
        }
        string host = Environment.GetEnvironmentVariable("POD_IP") is { Length: > 0 } ip ? ip : Dns.GetHostName();
        foreach (string wildcard in new[] { "://0.0.0.0", "://[::]", "://*", "://+" })
        {
            address = address.Replace(wildcard, "://" + host, StringComparison.Ordinal);
        }
        return address;
    }
}

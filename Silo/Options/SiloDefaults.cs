using System.Globalization;
using System.Net;

namespace Grid.Silo.Options;

/// <summary>Defaults that depend on the environment: the model directory, the silo's name, the listening URL.</summary>
public static class SiloDefaults
{
    /// <summary>Where the silo listens unless <c>--urls</c> or ASPNETCORE_URLS say otherwise.</summary>
    public const string Urls = "http://127.0.0.1:5080";

    /// <summary>$GRID_MODEL, else the nearest models/default (with a card.json) above the silo's binaries; null when neither exists.</summary>
    public static string? ModelDirectory()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("GRID_MODEL");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "models", "default");
            if (File.Exists(Path.Combine(candidate, Grid.Codec.ModelDirectory.CardFile)))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>$POD_NAME, else the host name and the first listening port (<c>host:5080</c>).</summary>
    public static string Name(string? urls)
    {
        string? pod = Environment.GetEnvironmentVariable("POD_NAME");
        if (!string.IsNullOrWhiteSpace(pod))
        {
            return pod;
        }
        string host = Dns.GetHostName();
        return FirstPort(urls) is { } port ? $"{host}:{port.ToString(CultureInfo.InvariantCulture)}" : host;
    }

    /// <summary>
    /// The URL other processes reach the API at: the first of <paramref name="urls"/>, a wildcard host replaced by
    /// $POD_IP or the host name.
    /// </summary>
    public static string Url(string urls)
    {
        string address = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? Urls;
        string host = Environment.GetEnvironmentVariable("POD_IP") is { Length: > 0 } ip ? ip : Dns.GetHostName();
        foreach (string wildcard in new[] { "://0.0.0.0", "://[::]", "://*", "://+" })
        {
            address = address.Replace(wildcard, "://" + host, StringComparison.Ordinal);
        }
        return address.TrimEnd('/');
    }

    /// <summary>The port of the first URL in a <c>;</c>-separated list such as <c>http://*:5080;https://+:5443</c>.</summary>
    public static int? FirstPort(string? urls)
    {
        string? first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null)
        {
            return null;
        }
        // Kestrel's wildcard hosts are not valid URI hosts.
        string parsable = first.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal);
        return Uri.TryCreate(parsable, UriKind.Absolute, out Uri? uri) ? uri.Port : null;
    }
}

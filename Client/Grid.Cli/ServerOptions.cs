using System.CommandLine;
using Grid.Client;
using Grid.Contracts.Api;

namespace Grid.Cli;

/// <summary>Options of the commands that talk to a silo, and the client they configure.</summary>
public static class ServerOptions
{
    /// <summary>Where <c>./grid serve</c> listens by default.</summary>
    public const string DefaultServer = "http://127.0.0.1:5080";

    public static Option<string> Server() => new("--server")
    {
        Description = $"Silo URL (default: $GRID_SERVER or {DefaultServer})",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("GRID_SERVER") is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultServer,
    };

    public static Option<string?> Tenant() => new("--tenant")
    {
        Description = "Tenant owning the streams (default: $GRID_TENANT or 'default')",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("GRID_TENANT") is { Length: > 0 } fromEnvironment ? fromEnvironment : null,
    };

    public static Option<string> Stream() => new("--stream")
    {
        Description = "Stream name (letters, digits, '.', '_', '-')",
        Required = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of a table" };

    /// <summary>A client for <paramref name="server"/>; a malformed URL or tenant is a usage error (exit 2).</summary>
    public static GridClient CreateClient(string server, string? tenant)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out Uri? address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"--server '{server}' is not an http:// or https:// URL (e.g. {DefaultServer})");
        }
        if (tenant is not null && StreamNames.Problem(tenant, "tenant") is { } problem)
        {
            throw new ArgumentException($"--tenant: {problem}");
        }
        return new GridClient(new GridClientOptions { BaseAddress = address, Tenant = tenant });
    }

    /// <summary>Checks a stream name before anything is sent (exit 2 when it is malformed).</summary>
    public static string CheckStream(string stream) =>
        StreamNames.Problem(stream, "stream") is { } problem ? throw new ArgumentException($"--stream: {problem}") : stream;
}

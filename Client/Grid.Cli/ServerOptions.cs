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

    /// <summary>
    /// <c>--api-key</c>, on every command (recursive from the root): the key sent to a silo (default $GRID_API_KEY).
    /// One instance, so any command's parse result reads it.
    /// </summary>
    public static Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "API key for commands that talk to a silo (default: $GRID_API_KEY); it decides the tenant",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(GridClientOptions.ApiKeyVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null,
    };

    public static Option<string?> Tenant() => new("--tenant")
    {
        Description = "Tenant to act for: admin keys only, a tenant key always acts for its own (default: $GRID_TENANT, else the key's)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("GRID_TENANT") is { Length: > 0 } fromEnvironment ? fromEnvironment : null,
    };

    public static Option<string> Stream() => new("--stream")
    {
        Description = "Stream name (letters, digits, '.', '_', '-')",
        Required = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of a table" };

    /// <summary>A client for <paramref name="server"/> with the key of <see cref="ApiKey"/>; a malformed URL, key or tenant is a usage error (exit 2).</summary>
    public static GridClient CreateClient(ParseResult parse, string server, string? tenant)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string? apiKey = parse.GetValue(ApiKey);
        if (!Uri.TryCreate(server, UriKind.Absolute, out Uri? address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"--server '{server}' is not an http:// or https:// URL (e.g. {DefaultServer})");
        }
        if (tenant is not null && StreamNames.Problem(tenant, "tenant") is { } problem)
        {
            throw new ArgumentException($"--tenant: {problem}");
        }
        if (apiKey is not null && (apiKey.Length == 0 || apiKey.Any(char.IsWhiteSpace)))
        {
            throw new ArgumentException("--api-key must not be empty or contain white space");
        }
        return new GridClient(new GridClientOptions { BaseAddress = address, Tenant = tenant, ApiKey = apiKey });
    }

    /// <summary>Checks a stream name before anything is sent (exit 2 when it is malformed).</summary>
    public static string CheckStream(string stream) =>
        StreamNames.Problem(stream, "stream") is { } problem ? throw new ArgumentException($"--stream: {problem}") : stream;
}

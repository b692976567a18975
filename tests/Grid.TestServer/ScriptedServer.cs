using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grid.TestServer;

/// <summary>
/// A real Kestrel server on a loopback port, in the test process, whose routes the test maps: it plays scripted
/// responses over real sockets and records every request it receives.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests;

    private ScriptedServer(WebApplication app, ConcurrentQueue<RecordedRequest> requests, Uri baseAddress)
    {
        _app = app;
        _requests = requests;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Requests received so far for <paramref name="path"/> (exact path, any method and query).</summary>
    public int CountRequests(string path) => _requests.Count(request => request.Path == path);

    /// <summary>Starts a server whose endpoints <paramref name="map"/> defines (WebSockets enabled).</summary>
    /// <param name="map">Maps the routes, e.g. <c>app => app.MapGet("/v1/status", ...)</c>.</param>
    /// <param name="port">A fixed port (for tests that start the server late on a known port); null: any free port.</param>
    public static async Task<ScriptedServer> StartAsync(Action<WebApplication> map, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port ?? 0);
            kestrel.Limits.MaxRequestBodySize = 256 << 20;
        });
        WebApplication app = builder.Build();
        var requests = new ConcurrentQueue<RecordedRequest>();
        app.Use(async (context, next) =>
        {
            var headers = context.Request.Headers.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers));
            await next(context);
        });
        app.UseWebSockets();
        map(app);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ScriptedServer(app, requests, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Stops the server, cutting open connections after a short grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            // Connections still open after the grace period are cut; that is what stopping a test server means.
        }
        await _app.DisposeAsync();
    }
}

using Grid.TestServer;

namespace Grid.Client.Tests;

/// <summary>Clients for the test servers, with short retry delays so retry tests stay fast.</summary>
internal static class TestClients
{
    internal static GridClient For(ScriptedServer server, Action<GridClientOptions>? configure = null) => For(server.BaseAddress, configure);

    internal static GridClient For(Uri baseAddress, Action<GridClientOptions>? configure = null)
    {
        var options = new GridClientOptions
        {
            BaseAddress = baseAddress,
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            MaxRetryDelay = TimeSpan.FromSeconds(5),
            Timeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return new GridClient(options);
    }
}

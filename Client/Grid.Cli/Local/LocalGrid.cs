using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Grid.Cli.Local;

/// <summary>
/// A throwaway grid on this machine for the demo and benchmarks: a redis-server (AOF, appendfsync always, as the
/// documented default) and silos on free loopback ports, all state in one directory that is wiped at start. Dispose
/// stops the silos gracefully (SIGTERM: they drain), then Redis.
/// </summary>
internal sealed class LocalGrid : IAsyncDisposable
{
    private readonly List<LocalProcess> _silos = [];
    private LocalProcess? _redis;

    private LocalGrid(string stateDirectory)
    {
        StateDirectory = stateDirectory;
    }

    public string StateDirectory { get; }

    /// <summary>The local silos' bootstrap admin key, made fresh for each grid (Grid:Auth:AdminKey).</summary>
    public string AdminKey { get; } = "grid_local_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
    public int RedisPort { get; private set; }
    public string RedisEndpoint => $"127.0.0.1:{RedisPort.ToString(CultureInfo.InvariantCulture)}";
    public List<Uri> Silos { get; } = [];

    public static async Task<LocalGrid> StartAsync(string stateDirectory, string modelDirectory, int silos = 1,
        IReadOnlyList<string>? siloSettings = null, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        string root = ModelLocator.RepositoryRoot() ?? throw new InvalidOperationException("a local grid needs the repository checkout (run from ./grid)");
        string siloAssembly = Path.Combine(root, "artifacts", "bin", "Grid.Silo", "release", "Grid.Silo.dll");
        if (!File.Exists(siloAssembly))
        {
            throw new FileNotFoundException($"the silo is not built ({siloAssembly}); run ./grid setup");
        }
        if (Directory.Exists(stateDirectory))
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
        Directory.CreateDirectory(stateDirectory);
        var grid = new LocalGrid(stateDirectory);
        try
        {
            grid.RedisPort = FreePort();
            log?.Invoke($"starting redis-server on {grid.RedisEndpoint} (AOF, appendfsync always; state in {stateDirectory})");
            grid._redis = LocalProcess.Start("redis-server",
                ["--port", grid.RedisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", stateDirectory,
                 "--appendonly", "yes", "--appendfsync", "always", "--save", ""],
                Path.Combine(stateDirectory, "redis.log"));
            await WaitForRedisAsync(grid, cancellationToken);
            for (int i = 1; i <= silos; i++)
            {
                int port = FreePort();
                var url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
                string name = $"local-silo-{i.ToString(CultureInfo.InvariantCulture)}";
                log?.Invoke($"starting silo {name} on {url}");
                var arguments = new List<string> { siloAssembly, "--urls", url.ToString(), "--redis", grid.RedisEndpoint, "--model", modelDirectory, "--name", name };
                // Each silo of the local cluster needs its own Orleans silo and gateway ports (defaults 11111/30000).
                arguments.AddRange(["--silo-port", FreePort().ToString(CultureInfo.InvariantCulture), "--gateway-port", FreePort().ToString(CultureInfo.InvariantCulture)]);
                arguments.AddRange(["--Grid:Auth:AdminKey", grid.AdminKey]);
                foreach (string setting in siloSettings ?? [])
                {
                    arguments.Add("--Grid:" + setting.Split('=', 2)[0]);
                    arguments.Add(setting.Split('=', 2)[1]);
                }
                LocalProcess silo = LocalProcess.Start("dotnet", arguments, Path.Combine(stateDirectory, name + ".log"),
                    new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" });
                grid._silos.Add(silo);
                grid.Silos.Add(url);
                await WaitForReadyAsync(silo, url, cancellationToken);
            }
            return grid;
        }
        catch
        {
            await grid.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (LocalProcess silo in _silos)
        {
            await silo.DisposeAsync();
        }
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForRedisAsync(LocalGrid grid, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (grid._redis!.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited at start:\n{grid._redis.LogTail()}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, grid.RedisPort, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
        throw new TimeoutException($"redis-server did not accept connections within 20 s:\n{grid._redis!.LogTail()}");
    }

    private static async Task WaitForReadyAsync(LocalProcess silo, Uri url, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        DateTime deadline = DateTime.UtcNow.AddSeconds(180);
        while (DateTime.UtcNow < deadline)
        {
            if (silo.HasExited)
            {
                throw new InvalidOperationException($"the silo exited at start (code {silo.ExitCode}):\n{silo.LogTail()}");
            }
            try
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri(url, "/health/ready"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(200, cancellationToken);
        }
        throw new TimeoutException($"the silo at {url} was not ready within 180 s:\n{silo.LogTail()}");
    }
}

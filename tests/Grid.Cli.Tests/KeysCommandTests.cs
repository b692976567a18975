using Grid.TestSupport;

namespace Grid.Cli.Tests;

/// <summary><c>grid keys create|list|revoke</c> against a real silo and Redis, and --api-key on other commands.</summary>
public sealed class KeysCommandTests : IAsyncLifetime
{
    private readonly string _root = TestPaths.CreateTempDirectory("grid-keys");
    private RedisServer? _redis;
    private SiloProcess? _silo;

    public async Task InitializeAsync()
    {
        string model = CliTestData.CreateModel(_root, "model", version: 1, seed: 5);
        _redis = await RedisServer.StartAsync();
        _silo = await SiloProcess.StartAsync(new SiloProcessOptions { Redis = _redis.ConnectionString, Model = model, Name = "keys" });
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
        TestPaths.DeleteDirectory(_root);
    }

    [Fact]
    public async Task ACreatedKeyIsTheLastLineWorksForItsTenantAndStopsWorkingWhenRevoked()
    {
        string server = _silo!.BaseAddress.AbsoluteUri;
        CliResult create = await CliRun.RunAsync("keys", "create", "--tenant", "site-4", "--name", "cam key", "--server", server);
        Assert.True(create.ExitCode == 0, create.ToString());
        string key = create.Stdout.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("grid_", key, StringComparison.Ordinal);

        CliResult list = await CliRun.RunAsync("keys", "list", "--server", server);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("site-4", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("cam key", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(key, list.Stdout, StringComparison.Ordinal);
        string id = create.Stdout.Split("key ", 2)[1].Split(' ', 2)[0];
        Assert.Contains(id, list.Stdout, StringComparison.Ordinal);

        CliResult mine = await CliRun.RunAsync("stream", "list", "--server", server, "--api-key", key);
        Assert.True(mine.ExitCode == 0, mine.ToString());
        Assert.Contains("no streams", mine.Stdout, StringComparison.Ordinal);
        CliResult refused = await CliRun.RunAsync("keys", "list", "--server", server, "--api-key", key);
        Assert.Equal(6, refused.ExitCode);
        Assert.Contains("forbidden", refused.Stderr, StringComparison.Ordinal);

        CliResult revoke = await CliRun.RunAsync("keys", "revoke", id, "--server", server);
        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        CliResult revoked = await CliRun.RunAsync("stream", "list", "--server", server, "--api-key", key);
        Assert.Equal(6, revoked.ExitCode);
        Assert.Contains("unauthenticated", revoked.Stderr, StringComparison.Ordinal);
        Assert.Contains("--api-key", revoked.Stderr, StringComparison.Ordinal);
        CliResult again = await CliRun.RunAsync("keys", "revoke", id, "--server", server);
        Assert.Equal(5, again.ExitCode);
    }

    [Fact]
    public async Task StreamDeleteRemovesTheStreamAndSaysWhenThereIsNone()
    {
        string server = _silo!.BaseAddress.AbsoluteUri;
        using (var client = new Grid.Client.GridClient(new Grid.Client.GridClientOptions { BaseAddress = _silo.BaseAddress, ApiKey = SiloProcess.TestAdminKey }))
        {
            await client.AppendAsync("cam", TestImages.Png(16, 16, seed: 1));
        }
        CliResult deleted = await CliRun.RunAsync("stream", "delete", "--stream", "cam", "--server", server);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Contains("deleted stream 'cam'", deleted.Stdout, StringComparison.Ordinal);
        CliResult list = await CliRun.RunAsync("stream", "list", "--server", server);
        Assert.Contains("no streams", list.Stdout, StringComparison.Ordinal);
        CliResult again = await CliRun.RunAsync("stream", "delete", "--stream", "cam", "--server", server);
        Assert.Equal(5, again.ExitCode);
    }
}

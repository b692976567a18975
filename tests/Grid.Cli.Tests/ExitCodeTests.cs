using Grid.TestServer;

namespace Grid.Cli.Tests;

public sealed class ExitCodeTests
{
    [Fact]
    public async Task AMalformedServerUrlIsAUsageError()
    {
        CliResult result = await CliRun.RunAsync("stream", "list", "--server", "not a url");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--server 'not a url' is not an http:// or https:// URL", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableServerIsAServerErrorThatSaysHowToStartOne()
    {
        using var nobody = new RefusingPort();
        string server = $"http://127.0.0.1:{nobody.Port}";

        CliResult result = await CliRun.RunAsync("status", "--server", server);

        Assert.True(result.ExitCode == ExitCodes.ServerError, result.ToString());
        Assert.Contains($"no silo answers at {server}; start one with ./grid serve", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingSourceIsNotFound()
    {
        (ScriptedServer server, FakeSilo silo) = await FakeSilo.StartAsync();
        await using ScriptedServer _ = server;

        CliResult result = await CliRun.RunAsync("stream", "push", "/no/such/video.mp4", "--stream", "cam", "--server", server.BaseAddress.AbsoluteUri);

        Assert.True(result.ExitCode == ExitCodes.NotFound, result.ToString());
        Assert.Contains("SOURCE '/no/such/video.mp4' does not exist", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(silo.Appends);
    }

    [Fact]
    public async Task AMissingStreamOptionIsAUsageError()
    {
        CliResult result = await CliRun.RunAsync("stream", "pull", "-o", "somewhere");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--stream", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerRefusalCarriesTheApiCode()
    {
        (ScriptedServer server, FakeSilo _) = await FakeSilo.StartAsync();
        await using ScriptedServer __ = server;

        CliResult result = await CliRun.RunAsync("stream", "info", "--stream", "nothing-here", "--server", server.BaseAddress.AbsoluteUri);

        Assert.True(result.ExitCode == ExitCodes.ServerError, result.ToString());
        Assert.Contains("server error 404 stream_not_found", result.Stderr, StringComparison.Ordinal);
    }
}

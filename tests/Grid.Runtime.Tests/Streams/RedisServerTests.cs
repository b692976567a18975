using Grid.TestSupport;

namespace Grid.Runtime.Tests.Streams;

/// <summary>The test harness itself: tests trust it to start, restart and report failures clearly.</summary>
public sealed class RedisServerTests
{
    [Fact]
    public async Task AMissingExecutableSaysToRunSetup()
    {
        FileNotFoundException error = await Assert.ThrowsAsync<FileNotFoundException>(
            () => RedisServer.StartAsync(new RedisServerOptions { Executable = "/nonexistent/redis-server" }));

        Assert.Contains("./grid setup", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerThatCannotStartReportsItsLog()
    {
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => RedisServer.StartAsync(new RedisServerOptions { ExtraArguments = ["--no-such-directive", "1"] }));

        Assert.Contains("no-such-directive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARestartKeepsThePortAndTheDirectoryAndDisposeRemovesThem()
    {
        RedisServer server = await RedisServer.StartAsync(RedisServerOptions.WithAppendOnly(AppendFsync.EverySec));
        int port = server.Port;
        string directory = server.Directory;

        await server.RestartAsync(graceful: true);
        bool runningAfterRestart = server.IsRunning;
        await server.DisposeAsync();

        Assert.True(runningAfterRestart);
        Assert.Equal(port, server.Port);
        Assert.False(Directory.Exists(directory));
        Assert.False(server.IsRunning);
    }

    [Fact]
    public void TheRepositoryRootHoldsTheSolution()
    {
        Assert.True(File.Exists(Path.Combine(TestPaths.RepoRoot, "Grid.sln")));
        Assert.Throws<DirectoryNotFoundException>(() => TestPaths.FindRepoRoot(Path.GetTempPath()));
    }
}

using Grid.Client;
using Grid.TestServer;
using Grid.TestSupport;

namespace Grid.Cli.Tests;

public sealed class PullAndLiveTests : IDisposable
{
    private readonly string _directory = TestPaths.CreateTempDirectory("grid-cli-pull");

    public void Dispose() => TestPaths.DeleteDirectory(_directory);

    [Fact]
    public async Task PullWritesOneFilePerFrameIntoANewDirectory()
    {
        (ScriptedServer server, FakeSilo _) = await FakeSilo.StartAsync();
        await using ScriptedServer __ = server;
        byte[][] images = await AppendAsync(server, "cam", 4);
        string output = Path.Combine(_directory, "out", "frames");

        CliResult all = await CliRun.RunAsync("stream", "pull", "--stream", "cam", "-o", output, "--server", server.BaseAddress.AbsoluteUri);
        CliResult some = await CliRun.RunAsync("stream", "pull", "--stream", "cam", "-o", output + "-vqf", "--from", "1", "--to", "2", "--format", "vqf", "--server", server.BaseAddress.AbsoluteUri);

        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.True(some.ExitCode == 0, some.ToString());
        Assert.Equal(["00000000.png", "00000001.png", "00000002.png", "00000003.png"], Names(output));
        Assert.Equal(["00000001.vqf", "00000002.vqf"], Names(output + "-vqf"));
        // The fake silo hands the uploaded bytes back as the payload.
        Assert.Equal(images[3], File.ReadAllBytes(Path.Combine(output, "00000003.png")));
        Assert.Contains("pulled 4 frames (sequence 0..3)", all.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullOfAMissingStreamIsAServerError()
    {
        (ScriptedServer server, FakeSilo _) = await FakeSilo.StartAsync();
        await using ScriptedServer __ = server;

        CliResult result = await CliRun.RunAsync("stream", "pull", "--stream", "nothing-here", "-o", Path.Combine(_directory, "x"), "--server", server.BaseAddress.AbsoluteUri);

        Assert.True(result.ExitCode == ExitCodes.ServerError, result.ToString());
        Assert.Contains("stream_not_found", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "x")));
    }

    [Fact]
    public async Task LiveWritesTheBacklogAndNewFramesUntilCount()
    {
        (ScriptedServer server, FakeSilo _) = await FakeSilo.StartAsync();
        await using ScriptedServer __ = server;
        await AppendAsync(server, "cam", 2);
        string output = Path.Combine(_directory, "live");

        Task<CliResult> live = CliRun.RunAsync("stream", "live", "--stream", "cam", "-o", output, "--from", "1", "--count", "3", "--format", "vqf", "--server", server.BaseAddress.AbsoluteUri);
        await Task.Delay(TimeSpan.FromSeconds(1));
        using (GridClient client = new(new GridClientOptions { BaseAddress = server.BaseAddress }))
        {
            await client.AppendAsync("cam", TestImages.Png(32, 24, 7), sequence: 2);
            await client.AppendAsync("cam", TestImages.Png(32, 24, 8), sequence: 3);
        }
        CliResult result = await live;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["00000001.vqf", "00000002.vqf", "00000003.vqf"], Names(output));
        Assert.Contains("done: 3 frames", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveEndsCleanlyWhenAskedToStop()
    {
        (ScriptedServer server, FakeSilo _) = await FakeSilo.StartAsync();
        await using ScriptedServer __ = server;
        await AppendAsync(server, "cam", 2);
        string output = Path.Combine(_directory, "live");

        CliProcess live = CliRun.Start("stream", "live", "--stream", "cam", "-o", output, "--from", "0", "--server", server.BaseAddress.AbsoluteUri);
        for (int waited = 0; waited < 100 && !(Directory.Exists(output) && Directory.GetFiles(output, "*.png").Length == 2); waited++)
        {
            await Task.Delay(100);
        }
        await CliRun.TerminateAsync(live.ProcessId);
        CliResult result = await live.Completion;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["00000000.png", "00000001.png"], Names(output));
        Assert.Contains("stopped: 2 frames", result.Stdout, StringComparison.Ordinal);
    }

    private static async Task<byte[][]> AppendAsync(ScriptedServer server, string stream, int count)
    {
        using var client = new GridClient(new GridClientOptions { BaseAddress = server.BaseAddress });
        byte[][] images = [.. Enumerable.Range(0, count).Select(i => TestImages.Png(32, 24, i))];
        for (int i = 0; i < count; i++)
        {
            await client.AppendAsync(stream, images[i], sequence: i);
        }
        return images;
    }

    private static string[] Names(string directory) => [.. Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
}

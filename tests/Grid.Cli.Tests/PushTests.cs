using System.Diagnostics;
using Grid.TestServer;
using Grid.TestSupport;

namespace Grid.Cli.Tests;

public sealed class PushTests : IDisposable
{
    private readonly string _directory = TestPaths.CreateTempDirectory("grid-cli-push");

    public void Dispose() => TestPaths.DeleteDirectory(_directory);

    [Theory]
    [InlineData("ws")]
    [InlineData("http")]
    public async Task PushOfAFolderNumbersTheFramesAndARerunReportsDuplicates(string ingest)
    {
        (ScriptedServer server, FakeSilo silo) = await FakeSilo.StartAsync();
        await using ScriptedServer _ = server;
        string folder = Path.Combine(_directory, "images");
        TestImages.WritePngFolder(folder, 3);
        string[] push = ["stream", "push", folder, "--stream", "cam", "--server", server.BaseAddress.AbsoluteUri, "--ingest", ingest];

        CliResult first = await CliRun.RunAsync(push);
        CliResult again = await CliRun.RunAsync(push);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("3 stored, 0 duplicates", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 stored, 3 duplicates", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("raw RGB", first.Stdout, StringComparison.Ordinal);
        Assert.Equal([0L, 1L, 2L, 0L, 1L, 2L], silo.Appends.Select(a => a.Sequence));
        Assert.Equal(["stored", "stored", "stored", "duplicate", "duplicate", "duplicate"], silo.Appends.Select(a => a.Outcome));
        Assert.All(silo.Appends, append => Assert.Equal(ingest, append.Transport));
    }

    [Fact]
    public async Task StartSeqAndTenantAreHonoured()
    {
        (ScriptedServer server, FakeSilo silo) = await FakeSilo.StartAsync();
        await using ScriptedServer _ = server;
        string folder = Path.Combine(_directory, "images");
        TestImages.WritePngFolder(folder, 2);

        CliResult result = await CliRun.RunAsync("stream", "push", folder, "--stream", "cam", "--server", server.BaseAddress.AbsoluteUri, "--start-seq", "100", "--tenant", "site-9");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([100L, 101L], silo.Appends.Select(a => a.Sequence));
        Assert.All(silo.Appends, append => Assert.Equal("site-9", append.Tenant));
    }

    [Fact]
    public async Task ARefusedFrameStopsThePushWithTheApiCode()
    {
        (ScriptedServer server, FakeSilo silo) = await FakeSilo.StartAsync();
        await using ScriptedServer _ = server;
        string folder = Path.Combine(_directory, "images");
        TestImages.WritePngFolder(folder, 2);
        File.WriteAllBytes(Path.Combine(folder, "002.png"), TestImages.Png(64, 64, 2)); // another size than the stream's

        CliResult result = await CliRun.RunAsync("stream", "push", folder, "--stream", "cam", "--server", server.BaseAddress.AbsoluteUri);

        Assert.True(result.ExitCode == ExitCodes.ServerError, result.ToString());
        Assert.Contains("frame 2 (002.png) was refused: dimension_mismatch", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("2 stored, 0 duplicates, 1 refused", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("png")]
    public async Task PushOfAVideoSendsEveryFrame(string uploadFormat)
    {
        (ScriptedServer server, FakeSilo silo) = await FakeSilo.StartAsync();
        await using ScriptedServer _ = server;
        string video = Path.Combine(_directory, "clip.mp4");
        await MakeVideoAsync(video, frames: 6, width: 64, height: 48);

        CliResult result = await CliRun.RunAsync("stream", "push", video, "--stream", "clip", "--server", server.BaseAddress.AbsoluteUri, "--fps-limit", "50", "--upload-format", uploadFormat);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([0L, 1L, 2L, 3L, 4L, 5L], silo.Appends.Select(a => a.Sequence));
        Assert.Contains("video clip.mp4 (64x48, 6 frames", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("6 stored, 0 duplicates", result.Stdout, StringComparison.Ordinal);
    }

    private static async Task MakeVideoAsync(string path, int frames, int width, int height)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in new[] { "-v", "error", "-f", "lavfi", "-i", $"testsrc=size={width}x{height}:rate=10", "-frames:v", $"{frames}", "-pix_fmt", "yuv420p", "-y", path })
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        string errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ffmpeg failed: {errors}");
    }
}

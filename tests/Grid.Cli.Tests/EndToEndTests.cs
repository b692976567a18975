using System.Text.Json;
using Grid.Codec;
using Grid.Imaging;
using Grid.TestSupport;

namespace Grid.Cli.Tests;

/// <summary>
/// The whole path with nothing stubbed: the CLI pushes image files to a real silo process over the ingest WebSocket,
/// the silo encodes and stores them in a real redis-server, and the CLI pulls them back.
/// </summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private readonly string _root = TestPaths.CreateTempDirectory("grid-e2e");
    private RedisServer? _redis;
    private SiloProcess? _silo;
    private string _model = "";

    public async Task InitializeAsync()
    {
        _model = CliTestData.CreateModel(_root, "model", version: 1, seed: 5);
        _redis = await RedisServer.StartAsync();
        _silo = await SiloProcess.StartAsync(new SiloProcessOptions { Redis = _redis.ConnectionString, Model = _model, Name = "e2e" });
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
    public async Task PushedImagesComeBackExactlyAsTheCodecDecodesThem()
    {
        string server = _silo!.BaseAddress.AbsoluteUri;
        string images = Path.Combine(_root, "images");
        Directory.CreateDirectory(images);
        for (int i = 0; i < 5; i++)
        {
            ImageFile.Write(Path.Combine(images, $"{i:D2}.png"), CliTestData.Picture(45, 30, seed: i));
        }

        CliResult push = await CliRun.RunAsync("stream", "push", images, "--stream", "e2e", "--server", server);
        CliResult again = await CliRun.RunAsync("stream", "push", images, "--stream", "e2e", "--server", server);
        CliResult pull = await CliRun.RunAsync("stream", "pull", "--stream", "e2e", "-o", Path.Combine(_root, "pulled"), "--server", server);
        CliResult frames = await CliRun.RunAsync("stream", "pull", "--stream", "e2e", "-o", Path.Combine(_root, "frames"), "--format", "vqf", "--server", server);
        CliResult status = await CliRun.RunAsync("status", "--json", "--server", server);

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains("5 stored, 0 duplicates", push.Stdout, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("0 stored, 5 duplicates", again.Stdout, StringComparison.Ordinal);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.True(frames.ExitCode == 0, frames.ToString());
        using VqCodec codec = VqCodec.Load(_model);
        for (int i = 0; i < 5; i++)
        {
            RgbImage original = ImageFile.Read(Path.Combine(images, $"{i:D2}.png"));
            byte[] frame = File.ReadAllBytes(Path.Combine(_root, "frames", $"{i:D8}.vqf"));
            Assert.Equal(codec.Encode(original), frame);
            Assert.Equal(codec.Decode(frame).Pixels, ImageFile.Read(Path.Combine(_root, "pulled", $"{i:D8}.png")).Pixels);
        }
        Assert.True(status.ExitCode == 0, status.ToString());
        using JsonDocument json = JsonDocument.Parse(status.Stdout);
        Assert.Contains(json.RootElement.GetProperty("silos").EnumerateArray(), s => s.GetProperty("name").GetString() == "e2e");
    }

    [Fact]
    public async Task EncodeThroughTheSiloMatchesTheOfflineCli()
    {
        string image = Path.Combine(_root, "one.png");
        ImageFile.Write(image, CliTestData.Picture(64, 48, seed: 9));

        CliResult offline = await CliRun.RunAsync("encode", image, "-o", Path.Combine(_root, "offline.vqf"), "--model", _model);
        CliResult push = await CliRun.RunAsync("stream", "push", image, "--stream", "single", "--server", _silo!.BaseAddress.AbsoluteUri);
        CliResult pull = await CliRun.RunAsync("stream", "pull", "--stream", "single", "-o", Path.Combine(_root, "single"), "--format", "vqf", "--server", _silo.BaseAddress.AbsoluteUri);

        Assert.True(offline.ExitCode == 0 && push.ExitCode == 0 && pull.ExitCode == 0, $"{offline}\n{push}\n{pull}");
        Assert.Equal(File.ReadAllBytes(Path.Combine(_root, "offline.vqf")), File.ReadAllBytes(Path.Combine(_root, "single", "00000000.vqf")));
    }
}

using Grid.Codec;
using Grid.Contracts.Frames;
using Grid.Imaging;
using Grid.TestServer;
using Grid.TestSupport;

namespace Grid.Cli.Tests;

/// <summary><c>--quality</c> on <c>grid encode</c> and <c>grid stream push</c>.</summary>
public sealed class QualityOptionTests : IDisposable
{
    private readonly string _root = TestPaths.CreateTempDirectory("grid-cli-quality");

    public void Dispose() => TestPaths.DeleteDirectory(_root);

    [Fact]
    public void EncodeAtHighWritesAHighFrameThatDecodesToTheImagesSize()
    {
        string model = CliTestData.CreateModel(_root, "model", version: 3, seed: 1);
        RgbImage picture = CliTestData.Picture(70, 45, 1);
        ImageFile.Write(Path.Combine(_root, "photo.png"), picture);

        CliResult encode = CliRun.RunIn(_root, "encode", "photo.png", "-o", "photo.vqf", "--model", model, "--quality", "high");
        CliResult decode = CliRun.RunIn(_root, "decode", "photo.vqf", "-o", "back.png", "--model", model);

        Assert.True(encode.ExitCode == 0, encode.ToString());
        Assert.Contains("quality high", encode.Stdout, StringComparison.Ordinal);
        byte[] frame = File.ReadAllBytes(Path.Combine(_root, "photo.vqf"));
        FrameInfo info = VqfReader.ReadInfo(frame);
        Assert.Equal((70, 45, FrameQuality.High, 105, 68), (info.Width, info.Height, info.Quality, info.CodedWidth, info.CodedHeight));
        Assert.True(decode.ExitCode == 0, decode.ToString());
        using VqCodec codec = VqCodec.Load(model);
        Assert.Equal(codec.Encode(picture, FrameCoding.Fixed, FrameQuality.High), frame);
        Assert.Equal(codec.Decode(frame).Pixels, ImageFile.Read(Path.Combine(_root, "back.png")).Pixels);
    }

    [Fact]
    public void AnUnknownLevelIsAUsageErrorNamingTheLevels()
    {
        ImageFile.Write(Path.Combine(_root, "photo.png"), CliTestData.Picture(8, 8, 1));

        CliResult result = CliRun.RunIn(_root, "encode", "photo.png", "-o", "photo.vqf", "--quality", "ultra");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("Argument 'ultra' not recognized", result.Stderr, StringComparison.Ordinal);
        Assert.All(new[] { "'low'", "'standard'", "'high'", "'max'" }, level => Assert.Contains(level, result.Stderr, StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_root, "photo.vqf")));
    }

    [Theory]
    [InlineData("ws")]
    [InlineData("http")]
    public async Task PushSendsTheLevelOnEveryTransportAndNothingWithoutIt(string ingest)
    {
        (ScriptedServer server, FakeSilo _) = await FakeSilo.StartAsync();
        await using ScriptedServer __ = server;
        string folder = Path.Combine(_root, "images");
        TestImages.WritePngFolder(folder, 2);

        CliResult high = await CliRun.RunAsync("stream", "push", folder, "--stream", "cam", "--server", server.BaseAddress.AbsoluteUri, "--ingest", ingest, "--quality", "high");
        CliResult plain = await CliRun.RunAsync("stream", "push", folder, "--stream", "cam2", "--server", server.BaseAddress.AbsoluteUri, "--ingest", ingest);

        Assert.True(high.ExitCode == 0, high.ToString());
        Assert.True(plain.ExitCode == 0, plain.ToString());
        string path = ingest == "ws" ? "/v1/streams/cam/ingest" : "/v1/streams/cam/frames";
        RecordedRequest[] sent = [.. server.Requests.Where(r => r.Path == path)];
        Assert.NotEmpty(sent);
        Assert.All(sent, r => Assert.Equal("?quality=high", r.Query));
        Assert.All(server.Requests.Where(r => r.Path.StartsWith("/v1/streams/cam2/", StringComparison.Ordinal)), r => Assert.DoesNotContain("quality", r.Query, StringComparison.Ordinal));
    }
}

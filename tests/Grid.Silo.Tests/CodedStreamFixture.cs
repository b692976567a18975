using Grid.Imaging;
using Grid.Storage.Streams;
using Grid.TestSupport;

namespace Grid.Silo.Tests;

/// <summary>
/// One redis-server and one silo with the shipped model and its prior (models/default), whose stream grains
/// entropy-code frames with a key frame every <see cref="KeyFrameEvery"/>; the first frames of vtest.avi (never
/// trained on, scaled to 384x288 to keep the tests quick), and their fixed-rate frames and pixels from the silo's own
/// codec (<c>/v1/encode</c>, <c>/v1/decode</c>): what a fixed-rate stream stores and replays. (The model in this process
/// would not do: a full-size model's indices may differ in a few places with the thread count.)
/// </summary>
public sealed class CodedStreamFixture : IAsyncLifetime
{
    public const int KeyFrameEvery = 8;
    public const int Frames = 20;

    private RedisServer? _redis;
    private SiloProcess? _silo;
    private RedisConnection? _connection;

    public RedisServer Redis => _redis ?? throw new InvalidOperationException("fixture not started");

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("fixture not started");

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The stream store over the fixture's Redis, to look at what the silo stored.</summary>
    public StreamStore Store { get; private set; } = null!;

    /// <summary>The video frames as PNG.</summary>
    public IReadOnlyList<byte[]> Png { get; private set; } = [];

    /// <summary>Their fixed-rate (VQF v1) frames.</summary>
    public IReadOnlyList<byte[]> Fixed { get; private set; } = [];

    /// <summary>The pixels those frames decode to.</summary>
    public IReadOnlyList<byte[]> Pixels { get; private set; } = [];

    public static string ModelDirectory => TestPaths.InRepo("models", "default");

    public async Task InitializeAsync()
    {
        var png = new List<byte[]>();
        using (VideoReader reader = VideoReader.Open(TestPaths.InRepo("data", "video", "vtest.avi"), maxFrames: Frames + 4, scaleWidth: 384))
        {
            while (reader.TryReadFrame(out RgbImage? frame))
            {
                png.Add(Imaging.Png.Encode(frame));
            }
        }
        _redis = await RedisServer.StartAsync();
        _connection = RedisConnection.Connect(_redis.ConnectionString);
        Store = new StreamStore(_connection);
        _silo = await StartSiloAsync("coded-a");
        Client = _silo.CreateClient();
        var frames = new List<byte[]>();
        var pixels = new List<byte[]>();
        foreach (byte[] image in png)
        {
            byte[] frame = await Client.EncodeAsync(image);
            using HttpResponseMessage decoded = await Client.PostAsync("v1/decode", Api.Body(frame, Contracts.Api.GridMediaTypes.Frame));
            decoded.EnsureSuccessStatusCode();
            frames.Add(frame);
            pixels.Add(Imaging.Png.Decode(await decoded.Content.ReadAsByteArrayAsync()).Pixels);
        }
        (Png, Fixed, Pixels) = (png, frames, pixels);
    }

    /// <summary>Starts another silo on the fixture's Redis (the caller disposes it).</summary>
    public Task<SiloProcess> StartSiloAsync(string name, params string[] settings) => SiloProcess.StartAsync(new SiloProcessOptions
    {
        Redis = Redis.ConnectionString,
        Model = ModelDirectory,
        Name = name,
        Settings = ["CodecThreads=1", "Limits:AdminRequestsPerMinute=0", $"Streams:KeyFrameEvery={KeyFrameEvery}", .. settings],
    });

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        _connection?.Dispose();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class CodedStreamCollection : ICollectionFixture<CodedStreamFixture>
{
    public const string Name = "coded-streams";
}

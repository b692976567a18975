namespace Grid.Silo.Options;

/// <summary>
/// The silo's settings: section "Grid" of appsettings.json, environment variables (<c>Grid__MaxQueue=64</c>) and the
/// command line (<c>--redis</c>, <c>--device</c>, <c>--precision</c>, <c>--model</c>, <c>--name</c>, <c>--threads</c>, <c>--silo-port</c>, <c>--gateway-port</c>, or any
/// <c>--Grid:Key value</c>). Checked at start by <see cref="SiloOptionsValidator"/>.
/// </summary>
public sealed class SiloOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Grid";

    /// <summary>StackExchange.Redis configuration string (default <c>localhost:6379</c>).</summary>
    public string Redis { get; set; } = "localhost:6379";

    /// <summary>Where the codec runs: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (default cpu).</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>Arithmetic of the codec on CUDA: <c>fp32</c>, <c>tf32</c> or <c>bf16</c> (default fp32; the CPU always computes in fp32; docs/gpu.md).</summary>
    public string Precision { get; set; } = "fp32";

    /// <summary>
    /// Most images one device pass of the native codec takes: a larger codec batch runs in passes whose host-device
    /// copies overlap the compute on CUDA (default 0: the whole batch in one pass).
    /// </summary>
    public int DeviceBatch { get; set; }

    /// <summary>CPU threads the codec uses in all, split over its lanes (default: all cores).</summary>
    public int CodecThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Codec batches run at the same time, each on its own copy of the model with CodecThreads / CodecLanes libtorch
    /// threads (default 0: one lane per codec thread on "cpu", one lane on "cuda:N").
    /// </summary>
    public int CodecLanes { get; set; }

    /// <summary>The lanes in effect: <see cref="CodecLanes"/>, or its default for the device when 0.</summary>
    public int EffectiveCodecLanes => CodecLanes > 0 ? CodecLanes : Device.StartsWith("cuda", StringComparison.Ordinal) ? 1 : CodecThreads;

    /// <summary>libtorch/OpenBLAS threads of each lane: <see cref="CodecThreads"/> split over the lanes, at least 1.</summary>
    public int ThreadsPerLane => Math.Max(1, CodecThreads / EffectiveCodecLanes);

    /// <summary>Most requests one codec batch takes (default 16).</summary>
    public int MaxBatch { get; set; } = 16;

    /// <summary>Longest a batch waits for more requests after its first, in milliseconds (default 5).</summary>
    public int MaxDelayMs { get; set; } = 5;

    /// <summary>Most codec requests waiting; beyond it requests get 429 (default 256).</summary>
    public int MaxQueue { get; set; } = 256;

    /// <summary>Largest request body and WebSocket ingest message (default 32 MiB).</summary>
    public long MaxBodyBytes { get; set; } = 32L << 20;

    /// <summary>Largest image side accepted or decoded (default 8192).</summary>
    public int MaxImageSide { get; set; } = 8192;

    /// <summary>Older model versions kept loaded for decoding old frames (default 4).</summary>
    public int ModelCacheSize { get; set; } = 4;

    /// <summary>
    /// How often the silo renews its subscription to the model registry grain (default 30 s, at most 60): the answer
    /// carries the current version, so a silo that missed a notice of a new one catches up within this long.
    /// </summary>
    public int ModelResubscribeSeconds { get; set; } = 30;

    /// <summary>Most frames of one ingest WebSocket in progress at once (default 32).</summary>
    public int MaxInFlightPerSocket { get; set; } = 32;

    /// <summary>
    /// Model directory imported when Redis holds no model yet (default: $GRID_MODEL, else the repository's
    /// models/default found above the silo's binaries; null when neither exists).
    /// </summary>
    public string? Model { get; set; }

    /// <summary>This silo's name in the cluster (default: $POD_NAME, else host name and port).</summary>
    public string? Name { get; set; }

    /// <summary>URL other processes reach this silo's API at, as <c>GET /v1/status</c> says (default: from <c>--urls</c>).</summary>
    public string? Url { get; set; }

    /// <summary>
    /// The training grain: leader lease, frame sampling into the reservoir, refresh cycles, model retention (section
    /// <c>Grid:Trainer</c>, e.g. <c>--Grid:Trainer:RefreshMinutes 30</c>; docs/trainer.md).
    /// </summary>
    public Grid.Training.TrainerOptions Trainer { get; set; } = new();

    /// <summary>
    /// How this silo's stream grains store frames (section <c>Grid:Streams</c>: <c>Coding</c> Learned, Baseline or Fixed,
    /// <c>KeyFrameEvery</c>; docs/entropy-coding.md, "Streams").
    /// </summary>
    public Grid.Grains.Streams.StreamCodingOptions Streams { get; set; } = new();

    /// <summary>The Orleans cluster: ports, ids, membership timings, dashboard (section <c>Grid:Cluster</c>).</summary>
    public ClusterSettings Cluster { get; set; } = new();
}

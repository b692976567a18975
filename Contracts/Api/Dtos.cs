namespace Grid.Contracts.Api;

/// <summary>Result of appending one frame to a stream.</summary>
/// <param name="Sequence">Sequence number the frame is stored under.</param>
/// <param name="ModelVersion">Model version that encoded the stored frame.</param>
/// <param name="Bytes">Size of the stored frame.</param>
/// <param name="Duplicate">True when this sequence number was already stored: the retry changed nothing.</param>
public sealed record AppendResult(long Sequence, uint ModelVersion, int Bytes, bool Duplicate);

/// <summary>Metadata of a stream.</summary>
public sealed record StreamInfo(
    string Tenant,
    string Stream,
    long Frames,
    long LastSequence,
    int Width,
    int Height,
    long StoredBytes,
    DateTimeOffset Created,
    DateTimeOffset Updated);

/// <summary>A model version as the API lists it.</summary>
/// <param name="Version">The version number frames carry.</param>
/// <param name="Current">True for the version new frames are encoded with.</param>
/// <param name="Parent">The version it was refined from (a codebook refresh), if any.</param>
/// <param name="Created">When it was made.</param>
/// <param name="Fingerprint">Its weights' fingerprint, eight hex digits.</param>
/// <param name="Metrics">Scores: on the validation images for a trained model; on the reservoir's held-out samples, with the parent's on the same samples, for a refreshed one.</param>
/// <param name="Note">A remark, if any.</param>
/// <param name="Data">A refreshed version's data window: the reservoir samples it was trained and evaluated on.</param>
public sealed record ModelInfo(
    uint Version,
    bool Current,
    uint? Parent,
    DateTimeOffset Created,
    string Fingerprint,
    IReadOnlyDictionary<string, double>? Metrics = null,
    string? Note = null,
    RefreshData? Data = null);

/// <summary>A silo as Orleans membership and its codec describe it.</summary>
/// <param name="Name">The silo's name.</param>
/// <param name="Address">Its Orleans silo address (<c>ip:port@generation</c>).</param>
/// <param name="Status">Its membership status: <c>active</c>, <c>dead</c>, <c>joining</c>, <c>shuttingdown</c>, ...</param>
/// <param name="Url">The URL of its HTTP API.</param>
/// <param name="Device">Its codec device (<c>cpu</c>, <c>cuda:N</c>).</param>
/// <param name="ModelVersion">The current model version its codec has loaded (0 when unknown or dead).</param>
/// <param name="QueueDepth">Codec requests waiting for a batch.</param>
/// <param name="QueueCapacity">Most codec requests that may wait.</param>
/// <param name="Activations">Grain activations on the silo.</param>
/// <param name="CompletedRequests">Codec requests answered since the silo started.</param>
/// <param name="LastSeen">Its last I-am-alive time in the membership table.</param>
public sealed record SiloInfo(
    string Name,
    string Address,
    string Status,
    string Url,
    string Device,
    uint ModelVersion,
    int QueueDepth,
    int QueueCapacity,
    int Activations,
    long CompletedRequests,
    DateTimeOffset LastSeen);

/// <summary>The cluster as <c>grid status</c> shows it.</summary>
public sealed record ClusterStatus(
    IReadOnlyList<SiloInfo> Silos,
    string? TrainerLeader,
    uint CurrentModel,
    IReadOnlyList<StreamInfo> Streams);

/// <summary>
/// Per-frame acknowledgement on the WebSocket ingest: <see cref="Status"/> is "stored", "duplicate" or "error"
/// (then <see cref="Code"/> is one of <see cref="ErrorCodes"/>).
/// </summary>
public sealed record IngestAck(long Sequence, string Status, uint? ModelVersion = null, int? Bytes = null, string? Code = null, string? Message = null);

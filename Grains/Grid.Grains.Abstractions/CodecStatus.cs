namespace Grid.Grains.Abstractions;

/// <summary>One silo's codec as <c>GET /v1/status</c> shows it.</summary>
/// <param name="Device">The device the codec runs on (<c>cpu</c>, <c>cuda:N</c>).</param>
/// <param name="ModelVersion">The current model version loaded; 0 before the first load.</param>
/// <param name="QueueDepth">Requests waiting for a batch.</param>
/// <param name="QueueCapacity">Most requests that may wait (MaxQueue).</param>
/// <param name="CompletedRequests">Requests answered since the silo started.</param>
[GenerateSerializer, Immutable]
public sealed record CodecStatus(
    [property: Id(0)] string Device,
    [property: Id(1)] uint ModelVersion,
    [property: Id(2)] int QueueDepth,
    [property: Id(3)] int QueueCapacity,
    [property: Id(4)] long CompletedRequests);

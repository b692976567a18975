namespace Grid.Contracts.Api;

/// <summary>One stored frame of a stream, as replay and live subscriptions deliver it.</summary>
/// <param name="Sequence">The frame's sequence number in its stream.</param>
/// <param name="ModelVersion">Model version that encoded the frame.</param>
/// <param name="Timestamp">When the frame was stored (Unix milliseconds).</param>
/// <param name="Payload">The VQF frame, or the decoded image when a replay asked for an image format.</param>
public sealed record StreamRecord(long Sequence, uint ModelVersion, long Timestamp, byte[] Payload);

namespace Grid.Client;

/// <summary>One frame of a stream read by sequence number.</summary>
/// <param name="Sequence">Its sequence number (<c>X-Grid-Sequence</c>).</param>
/// <param name="ModelVersion">The model version that encoded it (<c>X-Grid-Model-Version</c>).</param>
/// <param name="Payload">The VQF frame, or the decoded image in the format asked for.</param>
public sealed record StoredFrame(long Sequence, uint ModelVersion, byte[] Payload);
